// People, sign-in and the limits on what each person may spend. The user, session, account and
// verification tables follow Better Auth's model (property names are the adapter's field names).
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from "drizzle-orm/pg-core";

const timestamps = {
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
};

export const user = pgTable(
  "user",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    email: text("email").notNull().unique(),
    emailVerified: boolean("email_verified").notNull().default(false),
    image: text("image"),
    /** viewer | member | admin */
    role: text("role").notNull().default("viewer"),
    /** A disabled person can neither sign in nor use their tokens; their history stays. */
    disabled: boolean("disabled").notNull().default(false),
    /** Claid images per UTC day; null means the configured default. */
    dailyImageBudget: integer("daily_image_budget"),
    ...timestamps,
  },
  (t) => [check("user_role_check", sql`${t.role} in ('viewer', 'member', 'admin')`)],
);

export const session = pgTable(
  "session",
  {
    id: text("id").primaryKey(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    token: text("token").notNull().unique(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    ...timestamps,
  },
  (t) => [index("session_user_idx").on(t.userId)],
);

export const account = pgTable(
  "account",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: timestamp("access_token_expires_at", { withTimezone: true }),
    refreshTokenExpiresAt: timestamp("refresh_token_expires_at", { withTimezone: true }),
    scope: text("scope"),
    password: text("password"),
    ...timestamps,
  },
  (t) => [index("account_user_idx").on(t.userId)],
);

export const verification = pgTable(
  "verification",
  {
    id: text("id").primaryKey(),
    identifier: text("identifier").notNull(),
    value: text("value").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    ...timestamps,
  },
  (t) => [index("verification_identifier_idx").on(t.identifier)],
);

/**
 * One row claims the install's first admin: only the request whose insert succeeds may create it,
 * so two people opening a fresh install at once cannot both become admin.
 */
export const installClaim = pgTable("install_claim", {
  id: text("id").primaryKey(),
  claimedAt: timestamp("claimed_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Personal access tokens: only a sha256 of the secret is kept, the token itself is shown once. */
export const accessToken = pgTable(
  "access_token",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** The first characters of the token, so people can tell their tokens apart. */
    prefix: text("prefix").notNull(),
    hash: text("hash").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("access_token_hash_idx").on(t.hash), index("access_token_user_idx").on(t.userId)],
);

/**
 * Claid images reserved per person per UTC day. Reservations add to `images` with one conditional
 * upsert, so concurrent requests can never take more than the budget.
 */
export const imageUsage = pgTable(
  "image_usage",
  {
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    day: date("day").notNull(),
    images: integer("images").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.day] }),
    check("image_usage_nonnegative", sql`${t.images} >= 0`),
  ],
);

/** Every reservation and what became of it: the record of who spent what. */
export const imageReservation = pgTable(
  "image_reservation",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    day: date("day").notNull(),
    engine: text("engine").notNull(),
    images: integer("images").notNull(),
    /** The generation this reservation pays for, once it is recorded; settled when it finishes. */
    generationId: text("generation_id"),
    /** reserved | committed | released | unknown (failed after delivery: counted, maybe charged) */
    status: text("status").notNull().default("reserved"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    settledAt: timestamp("settled_at", { withTimezone: true }),
  },
  (t) => [
    index("image_reservation_user_day_idx").on(t.userId, t.day),
    index("image_reservation_generation_idx").on(t.generationId),
  ],
);

/** rate-limiter-flexible's PostgreSQL store, created here so it goes through migrations. */
export const rateLimit = pgTable("rate_limit", {
  key: varchar("key", { length: 255 }).primaryKey(),
  points: integer("points").notNull().default(0),
  expire: bigint("expire", { mode: "number" }),
});

/**
 * One-time codes for creating the first admin when the server listens beyond loopback (printed at
 * start); only a hash is kept, and the first admin's creation clears them.
 */
export const setupCode = pgTable("setup_code", {
  codeHash: text("code_hash").primaryKey(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
