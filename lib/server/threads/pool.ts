import "server-only";

import { threadId as mainThreadId, Worker } from "node:worker_threads";

import { relayed } from "../errors";
import { log } from "../log";
import type { ThreadReply } from "./serve";

/**
 * Work that is many milliseconds of synchronous JavaScript (a cutout, a draft's pixels) would stall
 * every other request of the process while it runs on the request's thread. A pool runs such jobs on
 * at most `threads` threads of their own (the rest wait their turn); the request's thread only awaits
 * them. Where no thread can be started, jobs run in the calling thread rather than not at all, and
 * the log says so once.
 *
 * Under Next a thread's entry is bundled from its `.ts` file, and only the literal
 * `new Worker(new URL("./entry.ts", import.meta.url))` form is followed by the bundler: each pool's
 * owner passes that expression in `bundled`. Run from sources (tests, scripts), `fromSources` loads
 * the same entry through tsx.
 */

export type PoolRun<R> = { result: R; /** The thread that did the work. */ threadId: number };

export type PoolOptions<J, R> = {
  /** For the log: "cutout", "render". */
  name: string;
  threads: number;
  /** The module that asked, `import.meta.url`: whether it runs from sources, and where its entry is. */
  caller: string;
  /** The entry's file name beside the caller. */
  entry: string;
  bundled: () => Worker;
  /** The same job in the calling thread. */
  inThisThread: (job: J) => Promise<R>;
};

type Pending<J, R> = {
  id: number;
  job: J;
  resolve: (run: PoolRun<R>) => void;
  reject: (error: unknown) => void;
};

function fromSources(caller: string, entry: string): Worker {
  // From sources the entry is TypeScript: tsx loads it (a worker's `--import` does not reach its own
  // entry on every Node version), and the server-only guard must see the server's condition.
  // Not `new URL(entry, …)` here: the bundler would copy the source file as an asset.
  const url = caller.replace(/[^/]+$/, entry);
  const load = `import("tsx/esm/api").then(({ tsImport }) => tsImport(${JSON.stringify(url)}, ${JSON.stringify(url)}))`;
  return new Worker(load, { eval: true, execArgv: ["--conditions=react-server"] });
}

function errorOf(reply: Extract<ThreadReply<unknown>, { error: unknown }>): unknown {
  const { error } = reply;
  return error.api ? relayed(error.status, error.body) : new Error(error.message);
}

export class ThreadPool<J, R> {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending<J, R>>();
  private readonly waiting: Pending<J, R>[] = [];
  private started = 0;
  private unavailable = false;
  private nextId = 1;

  constructor(private readonly options: PoolOptions<J, R>) {}

  run(job: J): Promise<PoolRun<R>> {
    if (this.options.threads === 0 || this.unavailable) return this.inThisThread(job);
    return new Promise((resolve, reject) => {
      this.waiting.push({ id: this.nextId++, job, resolve, reject });
      this.dispatch();
    });
  }

  private async inThisThread(job: J): Promise<PoolRun<R>> {
    return { result: await this.options.inThisThread(job), threadId: mainThreadId };
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      const worker = this.idle.pop() ?? (this.started < this.options.threads ? this.spawn() : undefined);
      if (!worker) return;
      const next = this.waiting.shift()!;
      this.busy.set(worker, next);
      worker.ref();
      worker.postMessage({ id: next.id, job: next.job });
    }
  }

  private spawn(): Worker | undefined {
    let worker: Worker;
    try {
      const { caller, entry, bundled } = this.options;
      worker = caller.endsWith(".ts") ? fromSources(caller, entry) : bundled();
    } catch (error) {
      this.fallBack(error);
      return undefined;
    }
    this.started++;
    worker.on("message", (reply: ThreadReply<R>) => {
      const pending = this.busy.get(worker);
      if (!pending || pending.id !== reply.id) return;
      this.busy.delete(worker);
      worker.unref();
      this.idle.push(worker);
      if ("error" in reply) pending.reject(errorOf(reply));
      else pending.resolve({ result: reply.result, threadId: reply.threadId });
      this.dispatch();
    });
    worker.on("error", (error) => this.lost(worker, error));
    worker.on("exit", (code) =>
      this.lost(worker, new Error(`the ${this.options.name} thread stopped (exit ${code})`)),
    );
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
    log.warn(`a ${this.options.name} thread stopped`, { error: error.message });
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
      log.warn(`${this.options.name} threads are unavailable; that work runs on the request's thread`, {
        error: error instanceof Error ? error.message : String(error),
      });
    }
    this.unavailable = true;
    for (const pending of this.waiting.splice(0)) {
      this.inThisThread(pending.job).then(pending.resolve, pending.reject);
    }
  }
}

// One pool per process, name and size, however often Next loads the modules that use them.
const POOLS = Symbol.for("backdrop.thread-pools");
type WithPools = typeof globalThis & { [POOLS]?: Map<string, unknown> };
const pools = ((globalThis as WithPools)[POOLS] ??= new Map<string, unknown>());

/** The process's pool of this name and size, started on first use. */
export function threadPool<J, R>(options: PoolOptions<J, R>): ThreadPool<J, R> {
  const key = `${options.name}/${options.threads}`;
  let pool = pools.get(key) as ThreadPool<J, R> | undefined;
  if (!pool) {
    pool = new ThreadPool(options);
    pools.set(key, pool);
  }
  return pool;
}
