import "server-only";

import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { genericOAuth } from "better-auth/plugins/generic-oauth";
import { eq } from "drizzle-orm";

import type { Config } from "../config";
import { getDatabase, type Db } from "../db/client";
import { account, session, user, verification } from "../db/schema/auth";
import { log } from "../log";
import { writeOrigins } from "./csrf";
import { authSecret } from "./secret";
import { sharedAuthRateLimits } from "./sign-in-limits";

export const AUTH_BASE_PATH = "/api/auth";
export const OIDC_PROVIDER_ID = "oidc";
const COOKIE_PREFIX = "backdrop";
/** Better Auth prefixes cookies set over https with this. */
export const SECURE_COOKIE_MARK = `__Secure-${COOKIE_PREFIX}.`;

function createAuth(db: Db, config: Config, secure: boolean) {
  const ttl = config.SESSION_TTL_HOURS * 3600;
  const oidc =
    config.OIDC_ISSUER && config.OIDC_CLIENT_ID && config.OIDC_CLIENT_SECRET
      ? genericOAuth({
          config: [
            {
              providerId: OIDC_PROVIDER_ID,
              discoveryUrl: `${config.OIDC_ISSUER}/.well-known/openid-configuration`,
              clientId: config.OIDC_CLIENT_ID,
              clientSecret: config.OIDC_CLIENT_SECRET,
              scopes: ["openid", "email", "profile"],
              pkce: true,
            },
          ],
        })
      : undefined;
  return betterAuth({
    appName: "Backdrop",
    secret: authSecret(config),
    // Unset: each request's own origin (what a fresh local install needs).
    baseURL: config.AUTH_URL,
    basePath: AUTH_BASE_PATH,
    // The same origins our own routes accept for cookie writes (see csrf.ts).
    trustedOrigins: writeOrigins(config),
    database: drizzleAdapter(db, { provider: "pg", schema: { user, session, account, verification } }),
    emailAndPassword: {
      enabled: true,
      // Nobody signs themselves up: the first admin is created by the install claim, the rest by admins.
      disableSignUp: true,
      minPasswordLength: 10,
      maxPasswordLength: 256,
    },
    session: { expiresIn: ttl, updateAge: Math.min(24 * 3600, Math.floor(ttl / 2)) },
    user: {
      additionalFields: {
        role: { type: "string", input: false, required: false, defaultValue: "viewer" },
        disabled: { type: "boolean", input: false, required: false, defaultValue: false },
        dailyImageBudget: { type: "number", input: false, required: false },
      },
    },
    account: { accountLinking: { enabled: true, trustedProviders: oidc ? [OIDC_PROVIDER_ID] : [] } },
    databaseHooks: {
      session: {
        create: {
          // A disabled person gets no new session, however they sign in.
          before: async (newSession) => {
            const [row] = await db
              .select({ disabled: user.disabled })
              .from(user)
              .where(eq(user.id, newSession.userId))
              .limit(1);
            return row && !row.disabled;
          },
        },
      },
    },
    rateLimit: {
      enabled: true,
      window: 60,
      max: 100,
      // Per client address; generous enough for a team behind one proxy address.
      customRules: { "/sign-in/email": { window: 60, max: 20 } },
      // With PostgreSQL, counted for every instance at once, like the generation limits.
      ...(config.DATABASE_URL ? { customStorage: sharedAuthRateLimits(config.DATABASE_URL) } : {}),
    },
    advanced: {
      cookiePrefix: COOKIE_PREFIX,
      useSecureCookies: secure,
      // Explicit: Better Auth turns both off by default when NODE_ENV is test.
      disableOriginCheck: false,
      disableCSRFCheck: false,
    },
    plugins: oidc ? [oidc] : [],
    logger: {
      // Through our logger, so its lines are redacted like every other.
      log: (level, message, ...args) => {
        const quiet = message.includes("Base URL is not set");
        log[quiet ? "debug" : level](`auth: ${message}`, args.length ? { args } : {});
      },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;

// Next bundles routes separately, so one process may load this module more than once.
const CACHE = Symbol.for("backdrop.auth");
type GlobalWithAuth = typeof globalThis & { [CACHE]?: Map<string, Promise<Auth>> };
const instances = ((globalThis as GlobalWithAuth)[CACHE] ??= new Map<string, Promise<Auth>>());

/**
 * Cookies are `Secure` (and `__Secure-` prefixed) when the app is served over https: from `AUTH_URL`
 * when it is set, else from the request's own scheme.
 */
export function servedSecurely(request: Request | undefined, config: Pick<Config, "AUTH_URL">): boolean {
  if (config.AUTH_URL) return config.AUTH_URL.startsWith("https://");
  return request ? new URL(request.url).protocol === "https:" : false;
}

/** `secure` (or the request it is read from) picks the instance whose cookies match the scheme. */
export function getAuth(config: Config, secureOrRequest?: Request | boolean): Promise<Auth> {
  const secure =
    typeof secureOrRequest === "boolean" ? secureOrRequest : servedSecurely(secureOrRequest, config);
  const id = `${config.DATABASE_URL ?? config.DATA_DIR}|${secure}`;
  let auth = instances.get(id);
  if (!auth) {
    auth = getDatabase(config).then(({ db }) => createAuth(db, config, secure));
    auth.catch(() => instances.delete(id));
    instances.set(id, auth);
  }
  return auth;
}
