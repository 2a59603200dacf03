/** Which engines this server offers, from the browser. */
import { z } from "zod";

import { engineName } from "@/lib/scene/generation";

import { request } from "./request";

export const enginesInfo = z.object({
  default: engineName,
  available: z.object({ local: z.boolean(), claid: z.boolean() }),
  /** What one image edit on Claid (a background removal) takes of a person's daily Claid images. */
  imageEditUnits: z.number().int().min(0),
});
export type EnginesInfo = z.output<typeof enginesInfo>;

export function fetchEngines(): Promise<EnginesInfo> {
  return request("/api/engines", enginesInfo);
}
