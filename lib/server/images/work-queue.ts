import "server-only";

import pLimit, { type LimitFunction } from "p-limit";

import type { Config } from "../config";
import { errors, type ApiError } from "../errors";

/**
 * Bounds the memory uploads and imports take. A decoded 50-megapixel image costs a few hundred
 * megabytes, and each waiting request holds its file, so two bounds apply:
 *
 * - at most `concurrency` decodes run at once; the rest wait their turn (`decodeSlot`);
 * - at most `concurrency + maxQueued` uploads and imports are taken in at once (`admit`), counted from
 *   before their body is read; past that the server answers 503 with `Retry-After` at once, so the
 *   bodies of refused requests are never held.
 *
 * Work of the server's own (measuring a stored image) waits for a decode slot but is never refused.
 */

export const RETRY_AFTER_SECONDS = 5;

export function serverBusy(capacity: number): ApiError {
  return errors.serverBusy(RETRY_AFTER_SECONDS, capacity);
}

export type ImageWorkQueue = {
  /** Takes a place for one upload or import, or throws 503; call the returned function when done. */
  admit(): () => void;
  /** Runs `work` when a decode slot is free. */
  decodeSlot<T>(work: () => Promise<T>): Promise<T>;
  /** Uploads and imports taken in and not yet done; decodes running; decodes waiting. */
  readonly admitted: number;
  readonly running: number;
  readonly waiting: number;
};

export function createImageWorkQueue(options: { concurrency: number; maxQueued: number }): ImageWorkQueue {
  const limit: LimitFunction | undefined = options.concurrency > 0 ? pLimit(options.concurrency) : undefined;
  const capacity = options.concurrency + options.maxQueued;
  let admitted = 0;
  return {
    admit() {
      if (limit && admitted >= capacity) throw serverBusy(capacity);
      admitted++;
      let done = false;
      return () => {
        if (done) return;
        done = true;
        admitted--;
      };
    },
    decodeSlot: (work) => (limit ? limit(work) : work()),
    get admitted() {
      return admitted;
    },
    get running() {
      return limit?.activeCount ?? 0;
    },
    get waiting() {
      return limit?.pendingCount ?? 0;
    },
  };
}

// One queue per process, however often Next loads this module.
const QUEUES = Symbol.for("backdrop.image-work-queues");
type GlobalWithQueues = typeof globalThis & { [QUEUES]?: Map<string, ImageWorkQueue> };
const queues = ((globalThis as GlobalWithQueues)[QUEUES] ??= new Map<string, ImageWorkQueue>());

export function imageWorkQueue(
  config: Pick<Config, "IMAGE_DECODE_CONCURRENCY" | "IMAGE_DECODE_QUEUE">,
): ImageWorkQueue {
  const id = `${config.IMAGE_DECODE_CONCURRENCY}|${config.IMAGE_DECODE_QUEUE}`;
  let queue = queues.get(id);
  if (!queue) {
    queue = createImageWorkQueue({
      concurrency: config.IMAGE_DECODE_CONCURRENCY,
      maxQueued: config.IMAGE_DECODE_QUEUE,
    });
    queues.set(id, queue);
  }
  return queue;
}

/** `work` with a place taken for it (or a 503 before it starts), given back however it ends. */
export async function withImageAdmission<T>(queue: ImageWorkQueue, work: () => Promise<T>): Promise<T> {
  const release = queue.admit();
  try {
    return await work();
  } finally {
    release();
  }
}
