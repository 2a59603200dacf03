import "server-only";

import { threadId as mainThreadId, Worker } from "node:worker_threads";

import { relayed } from "../../../errors";
import { log } from "../../../log";
import { removeBackground } from "./index";
import type { CutoutJob, CutoutReply, PortableCutout } from "./thread-entry";
import type { CutoutResult } from "./types";

/**
 * A cutout is 100–250 ms of synchronous JavaScript per image: run on the request's thread it would
 * stall every other request of the process for that long. So cutouts run on their own threads, at
 * most `threads` at once (the rest wait their turn), and the request's thread only awaits them.
 *
 * Under Next the thread's entry is bundled from `thread-entry.ts` (the `new Worker(new URL(…))` form
 * is what the bundler follows); run from sources (tests, scripts) it is loaded through tsx. Where no
 * thread can be started, a cutout runs in the calling thread rather than not at all, and says so once
 * in the log.
 */

export type CutoutRun = CutoutResult & { /** The thread that did the work. */ threadId: number };

type Pending = {
  job: CutoutJob;
  resolve: (result: CutoutRun) => void;
  reject: (error: unknown) => void;
};

const FROM_SOURCES = import.meta.url.endsWith(".ts");

function startThread(): Worker {
  if (!FROM_SOURCES) return new Worker(new URL("./thread-entry.ts", import.meta.url));
  // From sources the entry is TypeScript: tsx loads it (a worker's `--import` does not reach its own
  // entry on every Node version), and the server-only guard must see the server's condition.
  // Not `new URL("./thread-entry.ts", …)`: the bundler would copy the source file as an asset.
  const entry = import.meta.url.replace(/off-thread\.ts$/, "thread-entry.ts");
  const load = `import("tsx/esm/api").then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`;
  return new Worker(load, { eval: true, execArgv: ["--conditions=react-server"] });
}

function fromPortable(result: PortableCutout, threadId: number): CutoutRun {
  if (result.kind === "busy" || result.kind === "empty") return { ...result, threadId };
  const { data, width, height } = result.image;
  return {
    ...result,
    image: { data: Buffer.from(data.buffer, data.byteOffset, data.byteLength), width, height },
    threadId,
  } as CutoutRun;
}

function errorOf(reply: Extract<CutoutReply, { error: unknown }>): unknown {
  const { error } = reply;
  return error.api ? relayed(error.status, error.body) : new Error(error.message);
}

class CutoutThreads {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private readonly waiting: Pending[] = [];
  private started = 0;
  private unavailable = false;
  private nextId = 1;

  constructor(private readonly threads: number) {}

  run(bytes: Uint8Array, maxPixels: number): Promise<CutoutRun> {
    if (this.threads === 0 || this.unavailable) return inThisThread(bytes, maxPixels);
    return new Promise((resolve, reject) => {
      this.waiting.push({ job: { id: this.nextId++, bytes, maxPixels }, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      const worker = this.idle.pop() ?? (this.started < this.threads ? this.spawn() : undefined);
      if (!worker) return;
      const next = this.waiting.shift()!;
      this.busy.set(worker, next);
      worker.ref();
      worker.postMessage(next.job);
    }
  }

  private spawn(): Worker | undefined {
    let worker: Worker;
    try {
      worker = startThread();
    } catch (error) {
      this.fallBack(error);
      return undefined;
    }
    this.started++;
    worker.on("message", (reply: CutoutReply) => {
      const pending = this.busy.get(worker);
      if (!pending || pending.job.id !== reply.id) return;
      this.busy.delete(worker);
      worker.unref();
      this.idle.push(worker);
      if ("error" in reply) pending.reject(errorOf(reply));
      else pending.resolve(fromPortable(reply.result, reply.threadId));
      this.dispatch();
    });
    worker.on("error", (error) => this.lost(worker, error));
    worker.on("exit", (code) => this.lost(worker, new Error(`the cutout thread stopped (exit ${code})`)));
    // An idle thread must not keep a script or test process alive.
    worker.unref();
    return worker;
  }

  /** A thread that died: its job fails plainly, a new thread takes the next one. */
  private lost(worker: Worker, error: Error): void {
    const pending = this.busy.get(worker);
    this.busy.delete(worker);
    const index = this.idle.indexOf(worker);
    if (index >= 0) this.idle.splice(index, 1);
    else if (!pending) return;
    this.started--;
    log.warn("a cutout thread stopped", { error: error.message });
    if (pending) {
      // A thread that could not even load its code will not load it next time either.
      if (/Cannot find module|ERR_MODULE_NOT_FOUND|ERR_UNKNOWN_FILE_EXTENSION/.test(error.message)) {
        this.fallBack(error);
        this.waiting.unshift(pending);
      } else {
        pending.reject(error);
      }
    }
    this.dispatch();
  }

  private fallBack(error: unknown): void {
    if (!this.unavailable) {
      log.warn("cutout threads are unavailable; cutouts run on the request's thread", {
        error: error instanceof Error ? error.message : String(error),
      });
    }
    this.unavailable = true;
    for (const pending of this.waiting.splice(0)) {
      inThisThread(pending.job.bytes, pending.job.maxPixels).then(pending.resolve, pending.reject);
    }
  }
}

async function inThisThread(bytes: Uint8Array, maxPixels: number): Promise<CutoutRun> {
  const result = await removeBackground(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    maxPixels,
  });
  return { ...result, threadId: mainThreadId };
}

// One set of threads per process and size, however often Next loads this module.
const POOLS = Symbol.for("backdrop.cutout-threads");
type WithPools = typeof globalThis & { [POOLS]?: Map<number, CutoutThreads> };
const pools = ((globalThis as WithPools)[POOLS] ??= new Map<number, CutoutThreads>());

/**
 * `removeBackground` on one of `threads` cutout threads (0: in this thread). Same answers and the
 * same `ApiError`s (415, 422, 413) as calling it directly.
 */
export function removeBackgroundOffThread(
  bytes: Uint8Array,
  options: { maxPixels: number; threads: number },
): Promise<CutoutRun> {
  let pool = pools.get(options.threads);
  if (!pool) {
    pool = new CutoutThreads(options.threads);
    pools.set(options.threads, pool);
  }
  return pool.run(bytes, options.maxPixels);
}
