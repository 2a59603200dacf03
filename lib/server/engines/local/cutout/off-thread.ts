import "server-only";

import { Worker } from "node:worker_threads";

import { threadPool } from "../../../threads/pool";
import { removeBackground } from "./index";
import type { CutoutJob, PortableCutout } from "./thread-entry";
import type { CutoutResult } from "./types";

/**
 * A cutout is 100–250 ms of synchronous JavaScript per image: run on the request's thread it would
 * stall every other request of the process for that long. So cutouts run on their own threads
 * (`lib/server/threads/pool.ts`), at most `threads` at once.
 */

export type CutoutRun = CutoutResult & { /** The thread that did the work. */ threadId: number };

function fromPortable(result: PortableCutout, threadId: number): CutoutRun {
  if (result.kind === "busy" || result.kind === "empty") return { ...result, threadId };
  const { data, width, height } = result.image;
  return {
    ...result,
    image: { data: Buffer.from(data.buffer, data.byteOffset, data.byteLength), width, height },
    threadId,
  } as CutoutRun;
}

async function inThisThread(job: CutoutJob): Promise<PortableCutout> {
  return removeBackground(Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength), {
    maxPixels: job.maxPixels,
  });
}

/**
 * `removeBackground` on one of `threads` cutout threads (0: in this thread). Same answers and the
 * same `ApiError`s (415, 422, 413) as calling it directly.
 */
export async function removeBackgroundOffThread(
  bytes: Uint8Array,
  options: { maxPixels: number; threads: number },
): Promise<CutoutRun> {
  const pool = threadPool<CutoutJob, PortableCutout>({
    name: "cutout",
    threads: options.threads,
    caller: import.meta.url,
    entry: "thread-entry.ts",
    bundled: () => new Worker(new URL("./thread-entry.ts", import.meta.url)),
    inThisThread,
  });
  const { result, threadId } = await pool.run({ bytes, maxPixels: options.maxPixels });
  return fromPortable(result, threadId);
}
