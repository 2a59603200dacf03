import "server-only";

import { z } from "zod";

import { ConfigError } from "../config";

const schema = z.object({
  /** Generations one server process runs at once (each may hold an upstream connection for minutes). */
  GENERATION_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  /**
   * A running generation whose worker has not reported for this long is taken for dead and marked
   * `interrupted`. Workers report every quarter of it.
   */
  GENERATION_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  /** How often a worker looks for queued generations another instance recorded. */
  GENERATION_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
});

export type JobSettings = z.output<typeof schema>;

export function loadJobSettings(env: Record<string, string | undefined>): JobSettings {
  const result = schema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}
