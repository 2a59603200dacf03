/**
 * The body of a pool's thread (see `pool.ts`): takes `{ id, job }` messages, runs the handler and
 * answers `{ id, threadId, result }` or `{ id, threadId, error }`. Buffers the handler names travel
 * back transferred, not copied. Errors cross the thread boundary as plain data: an `ApiError` as its
 * status and body, anything else as its message.
 */
import { parentPort, threadId } from "node:worker_threads";

import type { ApiError } from "../errors";
import { isApiError } from "../errors";

export type ThreadReply<R> =
  | { id: number; threadId: number; result: R }
  | {
      id: number;
      threadId: number;
      error:
        { api: true; status: number; body: ReturnType<ApiError["toBody"]> } | { api: false; message: string };
    };

export type Handled<R> = { result: R; transfer?: ArrayBuffer[] };

/**
 * The bytes as a view that owns its whole buffer, so that the buffer can be transferred: a buffer
 * from Node's shared pool (small ones) is copied out first.
 */
export function movable(data: Uint8Array): Uint8Array<ArrayBuffer> {
  return data.byteOffset === 0 &&
    data.byteLength === data.buffer.byteLength &&
    data.buffer instanceof ArrayBuffer
    ? (data as Uint8Array<ArrayBuffer>)
    : new Uint8Array(data);
}

export function serveJobs<J, R>(handler: (job: J) => Promise<Handled<R>>): void {
  parentPort?.on("message", ({ id, job }: { id: number; job: J }) => {
    const port = parentPort!;
    void handler(job).then(
      ({ result, transfer }) => {
        const reply: ThreadReply<R> = { id, threadId, result };
        port.postMessage(reply, transfer ?? []);
      },
      (error: unknown) => {
        const reply: ThreadReply<R> = {
          id,
          threadId,
          error: isApiError(error)
            ? { api: true, status: error.status, body: error.toBody() }
            : { api: false, message: error instanceof Error ? error.message : String(error) },
        };
        port.postMessage(reply);
      },
    );
  });
}
