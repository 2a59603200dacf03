/** The saved composer read back from local storage (see persist.ts). Anything unreadable is ignored. */
import { z } from "zod";

import { engineName } from "@/lib/scene/generation";

import type { ComposerDoc } from "./doc";
import { emptyDoc } from "./doc";
import { initialState, type ComposerState } from "./reducer";
import { buildRequest } from "./request";

const box = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });
const imageMeta = z.object({
  width: z.number(),
  height: z.number(),
  objectBox: box,
  hasAlpha: z.boolean(),
  format: z.string().optional(),
  size: z.number().optional(),
  src: z.string(),
  cutOutFrom: z.object({ url: z.string(), src: z.string(), engine: engineName }).optional(),
});

const saved = z.object({
  version: z.literal(1),
  doc: z.record(z.string(), z.unknown()),
  images: z.record(z.string(), imageMeta),
  engine: engineName,
  generations: z.array(z.string()).max(200),
});

export function deserialize(text: string | null): ComposerState | undefined {
  if (!text) return undefined;
  try {
    const parsed = saved.safeParse(JSON.parse(text));
    if (!parsed.success) return undefined;
    // The saved document is checked by building a body from it: a shape that cannot build is dropped.
    const doc = { ...emptyDoc(), ...parsed.data.doc } as ComposerDoc;
    buildRequest(doc);
    const { images, engine, generations } = parsed.data;
    return { ...initialState(doc), images, engine, generations };
  } catch {
    return undefined;
  }
}
