import "server-only";

import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

import { fileHref } from "@/lib/scene/image-ref";

import { authSecret } from "../auth/secret";
import type { Config } from "../config";
import { errors } from "../errors";

/**
 * Links to stored files that open without a session, like the `tmp_url`s Claid hands out: a client
 * may pass one to a shop, a CDN or a no-code tool that has no credential of ours. The link names its
 * expiry and carries an HMAC over the file key and that expiry, made with a key derived from the app's
 * secret, so neither can be changed without the server noticing.
 */

type LinkConfig = Pick<Config, "AUTH_SECRET" | "DATA_DIR" | "DATABASE_URL" | "SIGNED_URL_TTL_HOURS">;

/** The query parameters a signed link carries (the route reads them with its other parameters). */
export const signedLinkQuery = z.object({
  expires: z.string().max(40).optional(),
  signature: z.string().max(200).optional(),
});
export type SignedLinkQuery = z.output<typeof signedLinkQuery>;

const derived = new Map<string, Buffer>();

/**
 * Its own key, derived from the app's secret: the session cookies are signed with the secret itself,
 * and nothing signed for one purpose may ever pass for the other.
 */
function linkKey(config: LinkConfig): Buffer {
  const secret = authSecret(config);
  let key = derived.get(secret);
  if (!key) {
    key = createHmac("sha256", secret).update("backdrop: signed file links").digest();
    derived.set(secret, key);
  }
  return key;
}

function signatureOf(config: LinkConfig, key: string, expires: string): string {
  return createHmac("sha256", linkKey(config)).update(`${key}\n${expires}`).digest("base64url");
}

/**
 * A function giving each stored file's absolute link under `origin`, valid for `SIGNED_URL_TTL_HOURS`
 * from `now`. One expiry for all links made by one call, so one answer's links end together.
 */
export function signedFileLinks(
  config: LinkConfig,
  origin: string,
  now: Date = new Date(),
): (key: string) => string {
  const expires = String(Math.floor(now.getTime() / 1000) + config.SIGNED_URL_TTL_HOURS * 3600);
  return (key) =>
    `${origin}${fileHref(key)}?expires=${expires}&signature=${signatureOf(config, key, expires)}`;
}

/** Whether a request means to use a signed link (and is then judged by it alone). */
export function isSignedLink(query: SignedLinkQuery): boolean {
  return query.expires !== undefined || query.signature !== undefined;
}

/** Throws 403 `link_invalid` for a link that was changed or cut short, 403 `link_expired` after its time. */
export function checkSignedLink(
  config: LinkConfig,
  key: string,
  query: SignedLinkQuery,
  now: Date = new Date(),
): void {
  const { expires, signature } = query;
  if (!expires || !signature || !/^\d{1,12}$/.test(expires)) throw errors.linkInvalid();
  const expected = Buffer.from(signatureOf(config, key, expires));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw errors.linkInvalid();
  const endsAt = Number(expires) * 1000;
  if (endsAt <= now.getTime()) throw errors.linkExpired(new Date(endsAt));
}
