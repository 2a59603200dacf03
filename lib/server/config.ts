import "server-only";

import { availableParallelism } from "node:os";
import path from "node:path";
import { z } from "zod";

import { ENGINES, type EngineName } from "@/lib/scene/vocabulary";

import { registerSecret } from "./log";

const ms = (fallback: number) => z.coerce.number().int().min(1).max(3_600_000).default(fallback);
const bytes = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const flag = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .default("")
  .transform((v) => v === "1" || v === "true" || v === "yes");

/** `name=/abs/or/relative/path,other=...`: where `storage://name/...` destinations are written. */
const storages = z
  .string()
  .default("")
  .transform((value, ctx) => {
    const out: Record<string, string> = {};
    for (const entry of value
      .split(",")
      .map((e) => e.trim())
      .filter(Boolean)) {
      const eq = entry.indexOf("=");
      const name = entry.slice(0, eq).trim();
      const dir = entry.slice(eq + 1).trim();
      if (eq < 1 || !/^[a-z0-9][a-z0-9._-]*$/i.test(name) || !dir) {
        ctx.addIssue({ code: "custom", message: `"${entry}" is not name=folder` });
        return z.NEVER;
      }
      out[name] = path.resolve(dir);
    }
    return out;
  });

const httpUrl = z
  .string()
  .check(z.refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), "must be an http(s) URL"))
  .transform((v) => v.replace(/\/+$/, ""));

export type BucketLocation = { bucket: string; prefix: string };

const BUCKET_URL = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/;

/** `s3://bucket/some/prefix` as bucket and prefix (no slash at either end), or undefined. */
export function parseBucketUrl(url: string): BucketLocation | undefined {
  const match = BUCKET_URL.exec(url);
  if (!match?.[1]) return undefined;
  const prefix = (match[2] ?? "").replace(/^\/+|\/+$/g, "");
  if (/\/\/|(^|\/)\.\.?(\/|$)/.test(prefix)) return undefined;
  return { bucket: match[1], prefix };
}

const hostList = z.string().transform((v) =>
  v
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean),
);

export const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    HOST: z.string().min(1).default("127.0.0.1"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    /** Absolute origin used in URLs we hand out (tmp_url); defaults to the request's own origin. */
    PUBLIC_BASE_URL: httpUrl.optional(),
    DATA_DIR: z
      .string()
      .min(1)
      .default("./data")
      .transform((v) => path.resolve(v)),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
      .optional()
      .or(z.literal("").transform(() => undefined)),
    CLAID_API_KEY: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v : undefined)),
    CLAID_API_BASE_URL: httpUrl.default("https://api.claid.ai"),
    /** Hosts results may be downloaded from, besides the API's own host. */
    CLAID_DOWNLOAD_HOSTS: hostList.default(["dl.claid.ai"]),
    DEFAULT_ENGINE: z.enum(ENGINES).optional(),
    CLAID_TIMEOUT_MS: ms(180_000),
    CLAID_UPLOAD_TIMEOUT_MS: ms(60_000),
    DOWNLOAD_TIMEOUT_MS: ms(60_000),
    FETCH_TIMEOUT_MS: ms(15_000),
    CLAID_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
    CLAID_RETRY_CAP_MS: ms(30_000),
    MAX_DOWNLOAD_BYTES: bytes(50 * 1024 * 1024),
    MAX_UPLOAD_BYTES: bytes(25 * 1024 * 1024),
    MAX_IMAGE_PIXELS: bytes(50_000_000),
    MAX_JSON_BYTES: bytes(1024 * 1024),
    STORAGES: storages,
    /** `s3://bucket/prefix`: keep files in an S3-compatible bucket instead of `DATA_DIR/files`. */
    STORAGE_URL: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v : undefined))
      .check(
        z.refine(
          (v) => v === undefined || parseBucketUrl(v) !== undefined,
          "must be s3://bucket or s3://bucket/prefix",
        ),
      ),
    /** The S3 API's origin for a bucket not on AWS (Cloudflare R2, MinIO); AWS's own when unset. */
    S3_ENDPOINT: httpUrl.optional(),
    S3_REGION: z.string().trim().min(1).default("us-east-1"),
    /** `bucket` in the path rather than the host name (MinIO and most self-hosted servers need it). */
    S3_FORCE_PATH_STYLE: flag,
    /** Signed file links answer with a redirect to a short-lived presigned bucket URL. */
    S3_PUBLIC_REDIRECT: flag,
    /**
     * Uploaded and imported images decoded at once by one server process (a 50-megapixel image takes
     * a few hundred megabytes while it is decoded). 0 lifts the limit.
     */
    IMAGE_DECODE_CONCURRENCY: z.coerce.number().int().min(0).max(64).default(2),
    /**
     * Threads that remove backgrounds on the local engine (each cutout is 100–250 ms of computation
     * that would otherwise hold up every other request of the process). 0 runs them on the request's
     * own thread.
     */
    CUTOUT_THREADS: z.coerce.number().int().min(0).max(16).default(1),
    /**
     * Threads that render the local engine's drafts (tens of milliseconds of computation each, which
     * on the request's thread would hold up every other request). 0 renders them on the request's
     * own thread. One per core by default.
     */
    RENDER_THREADS: z.coerce.number().int().min(0).max(32).default(Math.min(8, availableParallelism())),
    /** Uploads and imports waiting for a decode beyond those running; past this they are answered 503. */
    IMAGE_DECODE_QUEUE: z.coerce.number().int().min(0).max(1000).default(8),
    /** Uploads and imports per person per minute. */
    RATE_LIMIT_UPLOADS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
    /**
     * Generations one server process runs at once (each may hold an upstream connection for minutes).
     * Two per core by default: a draft spends part of its time on the request's thread and part on a
     * render thread, so two keep a core busy.
     */
    GENERATION_CONCURRENCY: z.coerce
      .number()
      .int()
      .min(1)
      .max(32)
      .default(Math.min(16, 2 * availableParallelism())),
    /** A running generation whose worker has not reported for this long is taken for dead (`interrupted`). */
    GENERATION_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
    /** How often a worker looks for queued generations another instance recorded. */
    GENERATION_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
    /** How long a stop signal waits for running generations before the process exits anyway. */
    SHUTDOWN_TIMEOUT_MS: ms(30_000),
    /** Tests only: lets the guarded fetcher reach loopback addresses (stand-in servers). */
    ALLOW_LOOPBACK_FETCH: flag,
    /** Signs session cookies; when unset a random one is created once and kept in `DATA_DIR`. */
    AUTH_SECRET: z
      .string()
      .trim()
      .min(32, "must be at least 32 characters")
      .optional()
      .or(z.literal("").transform(() => undefined)),
    /** The app's public origin for sign-in (cookies are `Secure` when it is https); else each request's own. */
    AUTH_URL: httpUrl.optional(),
    /** More origins allowed to send cookie-authenticated writes, comma-separated. */
    AUTH_TRUSTED_ORIGINS: z
      .string()
      .default("")
      .transform((v) =>
        v
          .split(",")
          .map((o) => o.trim().replace(/\/+$/, ""))
          .filter(Boolean),
      ),
    /**
     * How long a bearer token's owner and role are remembered between lookups. Changes made through
     * this instance apply at once; another instance sharing the database sees them within this time.
     */
    TOKEN_CACHE_SECONDS: z.coerce.number().int().min(0).max(60).default(5),
    SESSION_TTL_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(24 * 7),
    /**
     * How long a link handed out in a scene/create answer (`tmp_url`) opens its image without signing
     * in. Links are signed with the app's secret, so changing `AUTH_SECRET` ends them all.
     */
    SIGNED_URL_TTL_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 366)
      .default(24 * 7),
    /** Generation requests per user per minute, per engine. */
    RATE_LIMIT_CLAID_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(10),
    RATE_LIMIT_LOCAL_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
    /** Claid images each user may generate per UTC day unless an admin sets their own budget. */
    DAILY_CLAID_IMAGE_BUDGET: z.coerce.number().int().min(0).max(1_000_000).default(50),
    /** Of that budget, what one image edit on Claid takes (Claid bills background removal per call). */
    CLAID_IMAGE_EDIT_UNITS: z.coerce.number().int().min(0).max(100).default(1),
    /**
     * Calls to Claid per second and per minute from every instance sharing the database together
     * (Claid's documented default limits), slowed further when Claid's `RateLimit-*` answers ask.
     */
    CLAID_CALLS_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(4),
    CLAID_CALLS_PER_MINUTE: z.coerce.number().int().min(1).max(600_000).default(120),
    /** Claid's pricing, for the cost a campaign shows before it runs: credits per image, and per autoprompt request. */
    CLAID_CREDITS_PER_IMAGE: z.coerce.number().min(0).max(1000).default(2),
    CLAID_AUTOPROMPT_CREDITS: z.coerce.number().min(0).max(1000).default(0.5),
    /** The most items (generations) one campaign may have. */
    CAMPAIGN_MAX_ITEMS: z.coerce.number().int().min(1).max(10_000).default(500),
    /** Optional single sign-on through an OpenID Connect provider; all three or none. */
    OIDC_ISSUER: httpUrl.optional(),
    OIDC_CLIENT_ID: z.string().trim().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().trim().min(1).optional(),
    OIDC_NAME: z.string().trim().min(1).max(40).default("Single sign-on"),
  })
  .transform((env, ctx) => {
    const defaultEngine = env.DEFAULT_ENGINE ?? (env.CLAID_API_KEY ? "claid" : "local");
    if (defaultEngine === "claid" && !env.CLAID_API_KEY) {
      ctx.addIssue({
        code: "custom",
        path: ["DEFAULT_ENGINE"],
        message: "is claid but CLAID_API_KEY is not set",
      });
      return z.NEVER;
    }
    if (env.DATABASE_URL && !env.AUTH_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["AUTH_SECRET"],
        message:
          "must be set when DATABASE_URL is set: every instance sharing the database has to sign sessions with the same secret (make one with `openssl rand -base64 32`)",
      });
      return z.NEVER;
    }
    if (env.S3_PUBLIC_REDIRECT && !env.STORAGE_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["S3_PUBLIC_REDIRECT"],
        message: "needs STORAGE_URL: files on a local disk have no bucket URL to redirect to",
      });
      return z.NEVER;
    }
    const oidcSet = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET].filter(Boolean).length;
    if (oidcSet !== 0 && oidcSet !== 3) {
      ctx.addIssue({
        code: "custom",
        path: ["OIDC_ISSUER"],
        message: "OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together",
      });
      return z.NEVER;
    }
    return { ...env, DEFAULT_ENGINE: defaultEngine };
  });

export type Config = z.output<typeof envSchema>;
export type { EngineName };

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses the environment; throws a `ConfigError` naming each wrong variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".") || "environment"}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}

let current: Config | undefined;

export function getConfig(): Config {
  if (!current) {
    current = loadConfig(process.env);
    registerSecret(current.CLAID_API_KEY);
    registerSecret(current.AUTH_SECRET);
    registerSecret(current.OIDC_CLIENT_SECRET);
  }
  return current;
}

/** Tests swap the configuration; production reads it once. */
export function setConfigForTests(config: Config | undefined) {
  current = config;
  if (config) {
    registerSecret(config.CLAID_API_KEY);
    registerSecret(config.AUTH_SECRET);
    registerSecret(config.OIDC_CLIENT_SECRET);
  }
}

export function engineAvailability(config: Config): Record<EngineName, boolean> {
  return { local: true, claid: Boolean(config.CLAID_API_KEY) };
}
