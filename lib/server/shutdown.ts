import "server-only";

import { closeDatabases } from "./db/client";
import { generations } from "./generations";
import { closeRateLimiters } from "./limits/rate-limit";
import { log } from "./log";

const STOP_SIGNALS = ["SIGTERM", "SIGINT"] as const;

let stopping = false;

/** True once a stop signal came: start-up work that fails from then on is the stop, not a fault. */
export function isStopping(): boolean {
  return stopping;
}

/** Stops this process's work in order: no new claims, running generations settled, then every pool closed. */
export async function shutDown(): Promise<void> {
  stopping = true;
  await generations.stop();
  await closeRateLimiters();
  await closeDatabases({ forGood: true });
}

let installed = false;

/**
 * On SIGTERM or SIGINT: shut down in order and exit 0; past `timeoutMs`, or on a second signal, exit 1
 * at once (what was running is found `interrupted` at the next start). Installed before any start-up
 * work, so a signal that arrives while the database is opening still gets an orderly stop.
 *
 * Next's own handler would exit as soon as its HTTP server has closed, in the middle of this one
 * (a database closed half-way), so listeners already present are taken out.
 */
export function shutDownOnStopSignals(timeoutMs: number): void {
  if (installed) return;
  installed = true;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn("second stop signal: exiting without waiting", { signal });
      process.exit(1);
    }
    log.info("stopping: running generations finish, then the database closes", { signal });
    const timer = setTimeout(() => {
      log.warn("stopping took too long: exiting", { timeoutMs });
      process.exit(1);
    }, timeoutMs);
    shutDown().then(
      () => {
        clearTimeout(timer);
        process.exit(0);
      },
      (error: unknown) => {
        log.error("stopping failed", { error: error instanceof Error ? error.message : String(error) });
        process.exit(1);
      },
    );
  };
  for (const signal of STOP_SIGNALS) {
    process.removeAllListeners(signal);
    process.on(signal, onSignal);
  }
}
