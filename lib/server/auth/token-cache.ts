import "server-only";

import { onSignal, sendSignal } from "../db/signals";
import type { Principal } from "./principal";

type Entry = { principal: Principal; tokenExpiresAt: number | null; until: number };

/** Enough for every token a team uses at once; the oldest entry goes first beyond it. */
const MAX_ENTRIES = 10_000;

// One cache per process, however often Next loads this module: a change seen by one route must
// reach every other.
const KEY = Symbol.for("backdrop.token-principals");
type WithCache = typeof globalThis & { [KEY]?: Map<string, Entry> };
const entries = ((globalThis as WithCache)[KEY] ??= new Map<string, Entry>());

const CHANGED = "tokens-changed";
// Another instance on the same database revoked a token or changed someone's access.
onSignal(CHANGED, () => entries.clear());

/**
 * Who a token's hash belonged to when it was last looked up, if that was less than the cache time
 * ago and the token has not expired since. Changes made in this process clear the cache at once;
 * another instance sharing the database clears it when their signal arrives, and in any case
 * within the cache time.
 */
export function cachedPrincipal(hash: string, now: number): Principal | undefined {
  const entry = entries.get(hash);
  if (!entry) return undefined;
  if (entry.until <= now || (entry.tokenExpiresAt !== null && entry.tokenExpiresAt <= now)) {
    entries.delete(hash);
    return undefined;
  }
  return entry.principal;
}

export function rememberPrincipal(
  hash: string,
  principal: Principal,
  tokenExpiresAt: Date | null,
  ttlMs: number,
  now: number,
): void {
  if (ttlMs <= 0) return;
  entries.delete(hash);
  entries.set(hash, { principal, tokenExpiresAt: tokenExpiresAt?.getTime() ?? null, until: now + ttlMs });
  if (entries.size > MAX_ENTRIES) {
    const oldest = entries.keys().next();
    if (!oldest.done) entries.delete(oldest.value);
  }
}

/** After any change to who may use which token: revocation, role, disabling (here and everywhere). */
export function forgetCachedPrincipals(): void {
  entries.clear();
  sendSignal(CHANGED);
}
