/**
 * Background removal from the composer: an image stored here, cut out on either engine, becomes a new
 * upload linked to the image it was cut from.
 *
 *   POST /api/cutouts  { image_url: "backdrop://files/…", engine? }  → 201 the cutout, as an upload
 */
import { z } from "zod";

import { uriString } from "./contract";
import { engineName, uploadedImage } from "./generation";
import { STORED_IMAGE_PREFIX } from "./image-ref";

export const cutoutRequest = z.strictObject({
  image_url: uriString.check(
    z.refine((v) => v.startsWith(STORED_IMAGE_PREFIX), {
      message: "Upload or import the image first (backdrop://files/…)",
    }),
  ),
  engine: engineName.optional(),
});
export type CutoutRequest = z.input<typeof cutoutRequest>;

/** The cutout as a new upload, linked to the image it was cut from and the generation that made it. */
export const cutoutAnswer = uploadedImage.extend({
  derivedFrom: z.string(),
  generationId: z.string(),
  engine: engineName,
});
export type CutoutAnswer = z.output<typeof cutoutAnswer>;
