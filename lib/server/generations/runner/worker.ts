import "server-only";

import { randomUUID } from "node:crypto";

import type { Config } from "../../config";
import type { Db } from "../../db/client";
import type { RunScene } from "../../engines";
import type { Logger } from "../../log";
import type { ObjectStore } from "../../storage";
import type { GenerationRow } from "../records/dto";
import { PRIORITY } from "../records/records";
import { claimNext, heartbeat } from "./claim";
import { executeGeneration, type JobDeps, type Settlement } from "./execute";
import { checkGeneration } from "./integrity";
import { announceChange, announceSettled, onQueued } from "./notify";
import { fetchPendingOutputs, interruptStale } from "./recovery";
import type { JobSettings } from "./settings";

export type WorkerDeps = {
  db: Db;
  config: Config;
  store: ObjectStore;
  log: Logger;
  runScene: RunScene;
  settings: JobSettings;
  pacers?: JobDeps["pacers"];
};

/**
 * Runs queued generations in this process, at most `GENERATION_CONCURRENCY` at a time. It wakes when
 * this process queues a job and polls for jobs other instances queued; it reports a heartbeat for the
 * jobs it runs and marks other workers' silent jobs as interrupted.
 */
export class GenerationWorker {
  readonly id = `worker-${randomUUID()}`;
  private readonly active = new Map<string, Promise<void>>();
  /**
   * The Claid campaign items among `active`: they may take every slot but one, which stays for
   * people (a Claid call holds its slot for seconds; a draft is done before anyone would notice).
   */
  private readonly backgroundClaid = new Set<string>();
  private claiming = 0;
  /**
   * Signals that a job may be waiting (this process queued one, or the poll came round) versus the
   * last of them a claim has answered with "nothing queued": no claim query is spent while none can
   * be waiting, such as each time a generation started here finishes.
   */
  private queuedSignals = 1;
  private answeredSignals = 0;
  /** Database work outside a job (claims, heartbeats, sweeps, recovery) that stopping must wait for. */
  private readonly chores = new Set<Promise<unknown>>();
  /** Drafts whose integrity check waits for a moment with nothing else to do (see `checkWhenIdle`). */
  private readonly toCheck: string[] = [];
  private checking = false;
  private timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => void) | undefined;
  private stopped = true;

  constructor(private readonly deps: WorkerDeps) {}

  get running(): readonly string[] {
    return [...this.active.keys()];
  }

  start(): this {
    if (!this.stopped) return this;
    this.stopped = false;
    const { settings } = this.deps;
    const maybeQueued = () => {
      this.queuedSignals++;
      this.pump();
    };
    this.unsubscribe = onQueued(maybeQueued);
    this.timers = [
      setInterval(maybeQueued, settings.GENERATION_POLL_MS),
      setInterval(() => void this.track(this.beat()), Math.max(250, settings.GENERATION_LEASE_MS / 4)),
      setInterval(() => void this.track(this.sweep()), settings.GENERATION_LEASE_MS),
    ];
    // Timers must not keep a script or test process alive on their own.
    for (const timer of this.timers) timer.unref();
    this.pump();
    return this;
  }

  /** Stops claiming and waits for the generations already running and any database work under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    // A claim or insert that settles while we wait may hand over a generation to run: wait for it too.
    while (this.active.size + this.chores.size > 0) {
      await Promise.allSettled([...this.active.values(), ...this.chores]);
    }
  }

  /** Lets `stop` wait for `work`, so the database is never closed under a query. */
  track<T>(work: Promise<T>): Promise<T> {
    this.chores.add(work);
    void work.then(
      () => this.chores.delete(work),
      () => this.chores.delete(work),
    );
    return work;
  }

  /**
   * Runs a new generation here and now when a slot is free: `record` inserts it already claimed by
   * this worker, so neither a claim query nor a wake-up stands between the request and the engine.
   * Undefined when every slot is taken or the worker is stopping: queue the generation instead.
   */
  async runHere(
    record: (claim: { workerId: string }) => Promise<GenerationRow>,
  ): Promise<{ row: GenerationRow; settled: Promise<Settlement> } | undefined> {
    if (!this.hasRoom()) return undefined;
    this.claiming++;
    let row: GenerationRow;
    try {
      row = await this.track(record({ workerId: this.id }));
    } finally {
      this.claiming--;
    }
    return { row, settled: this.run(row) };
  }

  private hasRoom(): boolean {
    return !this.stopped && this.active.size + this.claiming < this.deps.settings.GENERATION_CONCURRENCY;
  }

  /** Claims jobs while there is room and one may be waiting. Safe to call at any time, from any trigger. */
  pump(): void {
    while (this.hasRoom() && this.queuedSignals > this.answeredSignals) {
      this.claiming++;
      void this.track(
        this.claimOne().then((claimed) => {
          this.claiming--;
          if (claimed) this.pump();
          else this.checkWhenIdle();
        }),
      );
      // One claim at a time: a queue that is empty should cost one query per trigger, not `concurrency`.
      break;
    }
  }

  /** Whether a Claid campaign item may take a slot now: with more than one slot, one stays for people. */
  private roomForBackgroundClaid(): boolean {
    const slots = this.deps.settings.GENERATION_CONCURRENCY;
    return slots === 1 || this.backgroundClaid.size < slots - 1;
  }

  private async claimOne(): Promise<boolean> {
    const signals = this.queuedSignals;
    const limited = !this.roomForBackgroundClaid();
    let job;
    try {
      job = await claimNext(this.deps.db, this.id, limited ? { campaignEngines: ["local"] } : {});
    } catch (error) {
      this.deps.log.error("claiming a generation failed", {
        error: error instanceof Error ? error.message : String(error),
      });
      return false;
    }
    if (!job) {
      // Claid campaign items may still be waiting when they were not asked for: the next trigger
      // (an item finishing, the poll) asks again.
      if (!limited) this.answeredSignals = Math.max(this.answeredSignals, signals);
      return false;
    }
    void this.run(job);
    return true;
  }

  /** Runs a generation this worker holds; stopping waits for it. */
  private run(job: GenerationRow): Promise<Settlement> {
    announceChange(job.id);
    if (job.priority !== PRIORITY.interactive && job.engine === "claid") this.backgroundClaid.add(job.id);
    const run = executeGeneration({ ...this.deps, workerId: this.id, checkLater: this.checkLater }, job)
      .then((settlement) => {
        if (settlement.status !== "unrecorded") announceSettled(job.id, settlement);
        return settlement;
      })
      .finally(() => {
        this.active.delete(job.id);
        this.backgroundClaid.delete(job.id);
        this.pump();
        this.checkWhenIdle();
      });
    this.active.set(
      job.id,
      run.then(() => undefined),
    );
    return run;
  }

  private readonly checkLater = (generationId: string): void => {
    this.toCheck.push(generationId);
  };

  /**
   * Checks the drafts' integrity one generation at a time while nothing runs and nothing may be
   * waiting to be claimed; the next job goes first. Those left when the worker stops stay unchecked
   * until `npm run check -- --integrity`.
   */
  private checkWhenIdle(): void {
    if (this.checking || this.stopped || this.toCheck.length === 0) return;
    if (this.active.size + this.claiming > 0 || this.queuedSignals > this.answeredSignals) return;
    const id = this.toCheck.shift();
    if (!id) return;
    this.checking = true;
    const { db, store, config, log } = this.deps;
    void this.track(
      checkGeneration({ db, store, config, log }, id)
        .then(
          () => announceChange(id),
          (error: unknown) =>
            log.warn("integrity check failed", {
              generationId: id,
              error: error instanceof Error ? error.message : String(error),
            }),
        )
        .finally(() => {
          this.checking = false;
          this.checkWhenIdle();
        }),
    );
  }

  private async beat() {
    try {
      await heartbeat(this.deps.db, this.id, this.running);
    } catch (error) {
      this.deps.log.warn("heartbeat failed", {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /**
   * Marks other workers' silent generations interrupted, then fetches the results they had recorded
   * but not yet stored, as a restart of their own process would: the one that interrupts them (one
   * instance, whichever sweeps first) recovers them.
   */
  private async sweep() {
    try {
      const ids = await interruptStale(this.deps.db, this.deps.store, {
        leaseMs: this.deps.settings.GENERATION_LEASE_MS,
      });
      if (ids.length === 0) return;
      this.deps.log.warn("generations interrupted: their worker stopped reporting", { ids });
      const recovered = await fetchPendingOutputs(this.deps, undefined, ids);
      if (recovered.fetched + recovered.failed > 0) {
        this.deps.log.info("kept upstream results of interrupted generations fetched", recovered);
      }
    } catch (error) {
      this.deps.log.warn("lease sweep failed", {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
