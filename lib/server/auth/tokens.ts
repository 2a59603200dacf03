import "server-only";

import { createHash, randomBytes, randomUUID } from "node:crypto";
import { and, desc, eq, gt, isNull, lt, or, sql } from "drizzle-orm";

import type { TokenSummary } from "@/lib/scene/team";

import type { Db } from "../db/client";
import { preparedOn } from "../db/prepared";
import { accessToken, user } from "../db/schema/auth";
import { errors } from "../errors";
import { registerSecret } from "../log";
import { principalFor, type Principal } from "./principal";
import { cachedPrincipal, forgetCachedPrincipals, rememberPrincipal } from "./token-cache";

/** Recognisable in logs, secret scanners and `Authorization` headers. */
export const TOKEN_PREFIX = "bd_";
const TOKEN_SHAPE = /^bd_[A-Za-z0-9_-]{43}$/;
/** How stale `last_used_at` may get before a use writes it again. */
const LAST_USED_PRECISION_MS = 60_000;

export type { TokenSummary };

/** A 256-bit random secret needs no slow hash: sha256 cannot be reversed and guessing is hopeless. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function looksLikeToken(value: string): boolean {
  return TOKEN_SHAPE.test(value);
}

function summary(row: typeof accessToken.$inferSelect): TokenSummary {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
  };
}

/** Creates a token; the returned `token` is the only time anyone sees it. */
export async function createToken(
  db: Db,
  input: { userId: string; name: string; expiresInDays?: number },
): Promise<{ token: string; summary: TokenSummary }> {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  registerSecret(token);
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null;
  const [row] = await db
    .insert(accessToken)
    .values({
      id: randomUUID(),
      userId: input.userId,
      name: input.name,
      prefix: token.slice(0, TOKEN_PREFIX.length + 6),
      hash: hashToken(token),
      expiresAt,
    })
    .returning();
  if (!row) throw new Error("the token was not stored");
  return { token, summary: summary(row) };
}

export async function listTokens(db: Db, userId: string): Promise<TokenSummary[]> {
  const rows = await db
    .select()
    .from(accessToken)
    .where(and(eq(accessToken.userId, userId), isNull(accessToken.revokedAt)))
    .orderBy(desc(accessToken.createdAt));
  return rows.map(summary);
}

/** Revokes one of the person's own tokens; 404 for anyone else's, so ids reveal nothing. */
export async function revokeToken(db: Db, userId: string, id: string): Promise<void> {
  const revoked = await db
    .update(accessToken)
    .set({ revokedAt: new Date() })
    .where(and(eq(accessToken.id, id), eq(accessToken.userId, userId), isNull(accessToken.revokedAt)))
    .returning({ id: accessToken.id });
  if (revoked.length === 0) throw errors.notFound("The token");
  forgetCachedPrincipals();
}

/** Every request with a token asks this: prepared once. */
const findLiveToken = preparedOn((db) =>
  db
    .select({
      tokenId: accessToken.id,
      lastUsedAt: accessToken.lastUsedAt,
      expiresAt: accessToken.expiresAt,
      user: {
        id: user.id,
        name: user.name,
        email: user.email,
        role: user.role,
        disabled: user.disabled,
      },
    })
    .from(accessToken)
    .innerJoin(user, eq(user.id, accessToken.userId))
    .where(
      and(
        eq(accessToken.hash, sql.placeholder("hash")),
        isNull(accessToken.revokedAt),
        or(isNull(accessToken.expiresAt), gt(accessToken.expiresAt, sql.placeholder("now"))),
      ),
    )
    .limit(1)
    .prepare("find_live_token"),
);

/**
 * The person a bearer token belongs to, or undefined for an unknown, revoked or expired token. A
 * lookup is remembered for `cacheMs` (see token-cache.ts), so a script's burst of calls costs one.
 */
export async function principalForToken(db: Db, token: string, cacheMs = 0): Promise<Principal | undefined> {
  if (!looksLikeToken(token)) return undefined;
  const hash = hashToken(token);
  const now = new Date();
  const cached = cacheMs > 0 ? cachedPrincipal(hash, now.getTime()) : undefined;
  if (cached) return cached;
  const [row] = await findLiveToken(db).execute({ hash, now });
  if (!row) return undefined;
  const principal = principalFor(row.user, "token");
  if (!principal) return undefined;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_PRECISION_MS) {
    await db
      .update(accessToken)
      .set({ lastUsedAt: now })
      .where(
        and(
          eq(accessToken.id, row.tokenId),
          or(
            isNull(accessToken.lastUsedAt),
            lt(accessToken.lastUsedAt, new Date(now.getTime() - LAST_USED_PRECISION_MS)),
          ),
        ),
      );
  }
  rememberPrincipal(hash, principal, row.expiresAt, cacheMs, now.getTime());
  return principal;
}
