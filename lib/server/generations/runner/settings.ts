import "server-only";

import type { Config } from "../../config";

/** What the job worker reads from the configuration; workers leave the heartbeat every quarter lease. */
export type JobSettings = Pick<
  Config,
  "GENERATION_CONCURRENCY" | "GENERATION_LEASE_MS" | "GENERATION_POLL_MS"
>;
