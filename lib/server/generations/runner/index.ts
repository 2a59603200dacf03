import "server-only";

import { linkSignals, unlinkSignals } from "../../db/signals";
import { runScene } from "../../engines";
import { errors } from "../../errors";
import { paceLimits, upstreamPacer } from "../../limits/upstream-pace";
import { log } from "../../log";
import { generationDeps, type GenerationDeps } from "../records/deps";
import { fetchPendingOutputs, interruptStale, releaseOrphanClaims } from "./recovery";
import { GenerationWorker } from "./worker";

const KEY = Symbol.for("backdrop.generation-worker");
type WithWorker = typeof globalThis & { [KEY]?: Promise<GenerationWorker> };
const slot = globalThis as WithWorker;

/**
 * Brings the job system up: on PostgreSQL this process starts hearing the other instances' signals;
 * generations a previous process left `running` become `interrupted` (with an embedded database only
 * this process could have run them; with PostgreSQL only those whose worker stopped reporting), stray
 * claims are cleaned, kept upstream results are fetched, and the worker starts claiming.
 */
export async function startJobs(deps: GenerationDeps): Promise<GenerationWorker> {
  const settings = deps.config;
  const logger = log.child({ component: "jobs" });
  if (deps.kind === "postgres" && deps.config.DATABASE_URL) await linkSignals(deps.config.DATABASE_URL);
  const interrupted = await interruptStale(deps.db, deps.store, {
    leaseMs: settings.GENERATION_LEASE_MS,
    everyone: deps.kind === "pglite",
  });
  if (interrupted.length)
    logger.warn("generations left running by a stopped server are interrupted", { ids: interrupted });
  await releaseOrphanClaims(deps.db, deps.store);
  // Claid's limits hold for the key, so every instance paces through the one shared table; campaign
  // items leave room in it for what people wait for.
  const limits = paceLimits(deps.config);
  const pacers = {
    interactive: upstreamPacer(deps.db, "claid", limits),
    campaign: upstreamPacer(deps.db, "claid", limits, { background: true }),
  };
  const worker = new GenerationWorker({ ...deps, log: logger, runScene, settings, pacers }).start();
  // Fetching may take a while per file; serving must not wait for it, but stopping must.
  void worker.track(
    fetchPendingOutputs({ ...deps, log: logger }).then(
      (r) => r.fetched + r.failed > 0 && logger.info("kept upstream results fetched", r),
      (error: unknown) => logger.warn("fetching kept upstream results failed", { error: String(error) }),
    ),
  );
  return worker;
}

let stoppedForGood = false;

/** This process's worker, started on first use (the start-up hook normally starts it first). */
export function ensureWorker(): Promise<GenerationWorker> {
  if (stoppedForGood) return Promise.reject(errors.serverStopping());
  slot[KEY] ??= generationDeps().then(startJobs);
  slot[KEY].catch(() => (slot[KEY] = undefined));
  return slot[KEY];
}

/**
 * Stops this process's worker after the generations it is running (shutdown, tests). `forGood` is for
 * a stopping process: nothing starts another worker behind it.
 */
export async function stopWorker(options: { forGood?: boolean } = {}): Promise<void> {
  if (options.forGood) stoppedForGood = true;
  const running = slot[KEY];
  slot[KEY] = undefined;
  await (await running?.catch(() => undefined))?.stop();
  await unlinkSignals();
}
