import "server-only";

import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";

import { getConfig } from "../config";
import { errors, isApiError, type ApiError } from "../errors";
import { checkedAgents, isAddressNotAllowed } from "./checked-agent";

/**
 * The one way the server fetches a URL a user gave it. The address check happens in the agent, on the
 * address the socket is about to connect to (after DNS; see `checked-agent.ts` and `address-rules.ts`),
 * so a name that resolves to a private address, DNS rebinding between a check and the connection, and
 * redirects to internal hosts are all refused the same way. Redirects are followed here, one hop at a
 * time, each through the same agent.
 */

export type GuardedFetchOptions = {
  maxBytes: number;
  timeoutMs?: number;
  maxRedirects?: number;
  signal?: AbortSignal;
  /** Lets loopback (127.0.0.0/8, ::1) through for stand-in servers in tests; nothing else private. */
  allowLoopback?: boolean;
  /** A resolver other than the system's; its answers are checked exactly like the system's. */
  lookup?: LookupFunction;
};

export type FetchedBody = {
  bytes: Buffer;
  contentType: string | undefined;
  /** The URL the body came from, after redirects. */
  url: string;
  redirects: number;
};

export const MAX_REDIRECTS = 5;

export const fetchErrors = {
  notAllowed: errors.urlNotAllowed,
  unreachable: errors.urlUnreachable,
  tooLarge: errors.urlTooLarge,
  timeout: errors.urlTimeout,
  tooManyRedirects: errors.urlTooManyRedirects,
};

/** Only http(s), no credentials in the URL. Host checks happen at connect time, not here. */
export function parseFetchableUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw fetchErrors.notAllowed("it is not an absolute URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw fetchErrors.notAllowed(`only http and https are allowed, not ${url.protocol.replace(/:$/, "")}`);
  }
  if (url.username || url.password) throw fetchErrors.notAllowed("credentials in URLs are not allowed");
  if (!url.hostname) throw fetchErrors.notAllowed("it has no host");
  return url;
}

function connectionError(error: unknown): ApiError {
  const message = error instanceof Error ? error.message : String(error);
  if (isAddressNotAllowed(error)) {
    return fetchErrors.notAllowed("it resolves to a private, loopback, link-local or reserved address");
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN")
    return fetchErrors.unreachable("the host name does not resolve");
  if (code === "ECONNREFUSED") return fetchErrors.unreachable("the connection was refused");
  if (code === "ECONNRESET" || code === "EPIPE") return fetchErrors.unreachable("the connection was dropped");
  if ((typeof code === "string" && code.startsWith("ERR_TLS")) || /certificate/i.test(message)) {
    return fetchErrors.unreachable("the TLS certificate was not accepted");
  }
  return fetchErrors.unreachable("the connection failed");
}

type Hop = { status: number; location?: string; contentType?: string; body?: Buffer };

function requestOnce(url: URL, options: GuardedFetchOptions, signal: AbortSignal): Promise<Hop> {
  const agents = checkedAgents({ allowLoopback: options.allowLoopback ?? false }, { keepAlive: false });
  const isHttps = url.protocol === "https:";
  const transport = isHttps ? https : http;
  return new Promise<Hop>((resolve, reject) => {
    const req = transport.request(
      url,
      {
        method: "GET",
        agent: isHttps ? agents.https : agents.http,
        signal,
        headers: { accept: "image/*", "accept-encoding": "identity", "user-agent": "Backdrop/1" },
        ...(options.lookup ? { lookup: options.lookup } : {}),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const contentType = res.headers["content-type"];
        if (status >= 300 && status < 400 && res.headers.location) {
          res.resume();
          resolve({ status, location: res.headers.location, contentType });
          return;
        }
        if (status < 200 || status >= 300) {
          res.resume();
          resolve({ status, contentType });
          return;
        }
        // The first failure wins: destroying the response fires its own events afterwards.
        let settled = false;
        const fail = (error: unknown) => {
          if (settled) return;
          settled = true;
          reject(error);
          res.destroy();
        };
        const declared = Number(res.headers["content-length"] ?? "NaN");
        if (Number.isFinite(declared) && declared > options.maxBytes) {
          fail(fetchErrors.tooLarge(options.maxBytes));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.byteLength;
          if (size > options.maxBytes) {
            fail(fetchErrors.tooLarge(options.maxBytes));
            return;
          }
          chunks.push(chunk);
        });
        res.on("end", () => {
          if (settled) return;
          settled = true;
          resolve({ status, contentType, body: Buffer.concat(chunks, size) });
        });
        res.on("error", fail);
        res.on("aborted", () => fail(fetchErrors.unreachable("the connection was dropped")));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/**
 * Fetches `raw` with every address checked at connect time, redirects followed by hand (each hop checked
 * again), the body streamed up to `maxBytes` and the whole exchange bounded by `timeoutMs`.
 * Every failure is a 422 `ApiError` with a `url_*` code.
 */
export async function guardedFetch(raw: string, options: GuardedFetchOptions): Promise<FetchedBody> {
  const config = getConfig();
  const timeoutMs = options.timeoutMs ?? config.FETCH_TIMEOUT_MS;
  const maxRedirects = options.maxRedirects ?? MAX_REDIRECTS;
  const allowLoopback = options.allowLoopback ?? config.ALLOW_LOOPBACK_FETCH;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;

  let url = parseFetchableUrl(raw);
  for (let redirects = 0; ; redirects++) {
    let hop: Hop;
    try {
      hop = await requestOnce(url, { ...options, allowLoopback }, signal);
    } catch (error) {
      if (isApiError(error)) throw error;
      if (timeout.aborted) throw fetchErrors.timeout(timeoutMs);
      if (options.signal?.aborted) throw fetchErrors.unreachable("the request was cancelled");
      throw connectionError(error);
    }
    if (hop.location !== undefined) {
      if (redirects >= maxRedirects) throw fetchErrors.tooManyRedirects(maxRedirects);
      let next: string;
      try {
        next = new URL(hop.location, url).toString();
      } catch {
        throw fetchErrors.unreachable("it redirected to an invalid URL");
      }
      url = parseFetchableUrl(next);
      continue;
    }
    if (!hop.body) throw fetchErrors.unreachable(`the server answered ${hop.status}`, hop.status);
    return { bytes: hop.body, contentType: hop.contentType, url: url.toString(), redirects };
  }
}
