/**
 * The body of a cutout thread (see `off-thread.ts`): takes `{ id, bytes, maxPixels }` messages, runs
 * `removeBackground` and answers `{ id, result }` or `{ id, error }`. Pixels travel back as a
 * transferred buffer, never copied. Errors cross the thread boundary as plain data: an `ApiError`
 * as its status and body, anything else as its message.
 */
import { parentPort, threadId } from "node:worker_threads";

import { isApiError } from "../../../errors";
import { removeBackground } from "./index";
import type { CutoutResult } from "./types";

export type CutoutJob = { id: number; bytes: Uint8Array; maxPixels: number };

/** A cutout as it crosses threads: the pixel buffer beside the rest. */
export type PortableCutout =
  | (Omit<Extract<CutoutResult, { kind: "cutout" | "unchanged" }>, "image"> & {
      image: { data: Uint8Array; width: number; height: number };
    })
  | Extract<CutoutResult, { kind: "busy" | "empty" }>;

export type CutoutReply =
  | { id: number; threadId: number; result: PortableCutout }
  | {
      id: number;
      threadId: number;
      error:
        | { api: true; status: number; body: ReturnType<import("../../../errors").ApiError["toBody"]> }
        | { api: false; message: string };
    };

function portable(result: CutoutResult): { result: PortableCutout; transfer: ArrayBuffer[] } {
  if (result.kind === "busy" || result.kind === "empty") return { result, transfer: [] };
  const { data } = result.image;
  // A buffer that owns its whole memory moves; one that shares a pool is copied out first.
  const own =
    data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer
      ? data
      : new Uint8Array(data);
  return {
    result: { ...result, image: { ...result.image, data: own } },
    transfer: [own.buffer as ArrayBuffer],
  };
}

parentPort?.on("message", (job: CutoutJob) => {
  const port = parentPort!;
  void removeBackground(Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength), {
    maxPixels: job.maxPixels,
  }).then(
    (result) => {
      const moved = portable(result);
      const reply: CutoutReply = { id: job.id, threadId, result: moved.result };
      port.postMessage(reply, moved.transfer);
    },
    (error: unknown) => {
      const reply: CutoutReply = {
        id: job.id,
        threadId,
        error: isApiError(error)
          ? { api: true, status: error.status, body: error.toBody() }
          : { api: false, message: error instanceof Error ? error.message : String(error) },
      };
      port.postMessage(reply);
    },
  );
});
