import "server-only";

import type { ImageInfo } from "@/lib/scene/contract";
import type { UploadedImage } from "@/lib/scene/generation";
import { storedImageUrl } from "@/lib/scene/image-ref";

import type { Principal } from "../auth/authorize";
import type { EngineOutput } from "../engines/types";
import { errors } from "../errors";
import { describeStoredImage } from "../images/describe";
import { recordUpload } from "../uploads/records";

const FORMATS: Record<string, { ext: string; format: string }> = {
  png: { ext: "png", format: "PNG" },
  jpeg: { ext: "jpg", format: "JPEG" },
  webp: { ext: "webp", format: "WEBP" },
  avif: { ext: "avif", format: "AVIF" },
  tiff: { ext: "tiff", format: "TIFF" },
  gif: { ext: "gif", format: "GIF" },
  heif: { ext: "heic", format: "HEIF" },
};

/** An image's facts as Claid's envelopes state them. */
export function imageInfoOf(image: {
  format: string;
  mime: string;
  width: number;
  height: number;
}): ImageInfo {
  const known = FORMATS[image.format];
  return {
    ext: known?.ext ?? image.format,
    mps: Math.round(image.width * image.height) / 1e6,
    mime: image.mime,
    format: known?.format ?? image.format.toUpperCase(),
    width: image.width,
    height: image.height,
  };
}

/**
 * An edit's stored result kept as an upload of its own, linked to the image it was made from and the
 * generation that made it: it stays usable in later requests (and the composer) even after the
 * generation is deleted from the gallery. Its object box is measured on the result itself.
 */
export async function keepEditResult(
  output: EngineOutput | undefined,
  from: { key: string },
  generationId: string,
  principal: Principal | undefined,
): Promise<UploadedImage> {
  if (!output?.key) {
    throw errors.upstreamUnavailable("The edited image could not be stored yet: try again in a moment", {
      generation_id: generationId,
    });
  }
  const described = await describeStoredImage(output.key);
  if (!described) throw errors.notFound("The edited image");
  const record: UploadedImage = {
    key: output.key,
    url: storedImageUrl(output.key),
    width: described.width,
    height: described.height,
    format: described.format,
    size: output.size ?? 0,
    hasAlpha: described.hasAlpha,
    objectBox: described.objectBox,
  };
  await recordUpload(record, principal, { from: from.key, generationId });
  return record;
}
