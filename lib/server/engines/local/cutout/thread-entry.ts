/**
 * The body of a cutout thread (see `off-thread.ts`): runs `removeBackground` on `{ bytes, maxPixels }`.
 * Pixels travel back as a transferred buffer, never copied.
 */
import { movable, serveJobs } from "../../../threads/serve";
import { removeBackground } from "./index";
import type { CutoutResult } from "./types";

export type CutoutJob = { bytes: Uint8Array; maxPixels: number };

/** A cutout as it crosses threads: the pixel buffer beside the rest. */
export type PortableCutout =
  | (Omit<Extract<CutoutResult, { kind: "cutout" | "unchanged" }>, "image"> & {
      image: { data: Uint8Array; width: number; height: number };
    })
  | Extract<CutoutResult, { kind: "busy" | "empty" }>;

serveJobs<CutoutJob, PortableCutout>(async (job) => {
  const result = await removeBackground(
    Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength),
    { maxPixels: job.maxPixels },
  );
  if (result.kind === "busy" || result.kind === "empty") return { result };
  const data = movable(result.image.data);
  return { result: { ...result, image: { ...result.image, data } }, transfer: [data.buffer] };
});
