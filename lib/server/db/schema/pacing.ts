import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

const at = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * One row per paced upstream: taking it `FOR UPDATE` makes each slot decision one at a time across
 * every instance sharing the database. `blockedUntil` is what the upstream's own `RateLimit-*`
 * answers asked for.
 */
export const upstreamPace = pgTable("upstream_pace", {
  upstream: text("upstream").primaryKey(),
  blockedUntil: at("blocked_until"),
});

/** The times calls were (or will be) let through, newest last: the sliding windows are read from them. */
export const upstreamSlots = pgTable(
  "upstream_slots",
  {
    id: text("id").primaryKey(),
    upstream: text("upstream").notNull(),
    at: at("at").notNull(),
  },
  (t) => [index("upstream_slots_upstream_at_idx").on(t.upstream, t.at.desc())],
);
