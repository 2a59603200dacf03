/** Background removal from the browser: an image held here, cut out on either engine. */
import { cutoutAnswer, type CutoutAnswer } from "@/lib/scene/cutout";
import type { Engine } from "@/lib/scene/generation";

import { request } from "./request";

export function removeBackground(imageUrl: string, engine: Engine): Promise<CutoutAnswer> {
  return request("/api/cutouts", cutoutAnswer, { json: { image_url: imageUrl, engine } });
}
