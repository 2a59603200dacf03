import "server-only";

import type http from "node:http";
import { fileTypeFromBuffer } from "file-type";

import type { Config } from "../../config";
import { ApiError, errors } from "../../errors";
import type { AddressRules } from "../../net/address-rules";
import { ADDRESS_NOT_ALLOWED, checkedAgents } from "../../net/checked-agent";
import type { StoredObject } from "../../storage";
import type { EngineContext } from "../types";
import { headerValue, send, TransportError } from "./transport";
import { transportError } from "./upstream-errors";

/** Claid keeps a result at its `tmp_url` for one day. */
export const UPSTREAM_RETENTION_MS = 24 * 60 * 60 * 1000;
const MAX_REDIRECTS = 3;

export type DownloadedOutput = StoredObject & { ext: string; mime: string };

/**
 * Results are fetched only from the API's own host or the configured download hosts: a `tmp_url` is
 * data from the network, and following it anywhere would let the upstream answer point us at internal
 * services.
 */
export function isAllowedDownloadUrl(
  url: URL,
  config: Pick<Config, "CLAID_API_BASE_URL" | "CLAID_DOWNLOAD_HOSTS">,
) {
  if (url.protocol !== "https:" && url.protocol !== "http:") return false;
  if (url.username || url.password) return false;
  const api = new URL(config.CLAID_API_BASE_URL);
  if (url.host === api.host && url.protocol === api.protocol) return true;
  // Download hosts are only trusted over https.
  return url.protocol === "https:" && config.CLAID_DOWNLOAD_HOSTS.includes(url.hostname.toLowerCase());
}

/**
 * What a download host's resolved address may be. `ALLOW_LOOPBACK_FETCH` lets loopback through (stand-in
 * servers in tests) and nothing more: every other private, link-local or reserved range stays refused.
 */
export function downloadAddressRules(config: Pick<Config, "ALLOW_LOOPBACK_FETCH">): AddressRules {
  return { allowLoopback: config.ALLOW_LOOPBACK_FETCH };
}

/**
 * The API host is trusted as configured; a download host also has its resolved address checked, so a
 * DNS answer pointing at a private network is refused at connect time.
 */
export function downloadAgentFor(
  url: URL,
  config: Pick<Config, "CLAID_API_BASE_URL" | "ALLOW_LOOPBACK_FETCH">,
): http.Agent | undefined {
  if (url.host === new URL(config.CLAID_API_BASE_URL).host) return undefined;
  const agents = checkedAgents(downloadAddressRules(config), { keepAlive: true });
  return url.protocol === "https:" ? agents.https : agents.http;
}

function refused(url: URL, reason: string): ApiError {
  return errors.upstreamUnavailable(`Refused to download a result: ${reason}`, { host: url.host });
}

/**
 * Fetches one result into our storage. Used right after a generation and again later for results
 * whose first download failed (their `tmp_url` stays valid for a day).
 */
export async function downloadOutput(
  tmpUrl: string,
  ctx: Pick<EngineContext, "config" | "storage" | "log" | "signal">,
): Promise<DownloadedOutput> {
  const { config } = ctx;
  let url: URL;
  try {
    url = new URL(tmpUrl);
  } catch {
    throw errors.upstreamUnavailable("Refused to download a result: its URL is not valid");
  }
  const deadline = Date.now() + config.DOWNLOAD_TIMEOUT_MS;

  for (let hop = 0; ; hop++) {
    if (!isAllowedDownloadUrl(url, config)) {
      ctx.log.warn("claid download refused: host not allowed", { host: url.host });
      throw refused(url, "its host is not an allowed download host");
    }
    const agent = downloadAgentFor(url, config);
    let response;
    try {
      response = await send({
        method: "GET",
        url: url.href,
        timeoutMs: Math.max(1, deadline - Date.now()),
        maxResponseBytes: config.MAX_DOWNLOAD_BYTES,
        ...(agent ? { agent } : {}),
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      // The checked agent fails the connection itself when the address is not allowed.
      if (error.kind === "connect" && error.code === ADDRESS_NOT_ALLOWED) {
        ctx.log.warn("claid download refused: address not allowed", { host: url.host });
        throw refused(url, "its address is not allowed");
      }
      ctx.log.warn("claid download failed", { host: url.host, reason: error.kind, code: error.code });
      if (error.kind === "too_large") {
        throw errors.upstreamUnavailable(`A result is larger than ${config.MAX_DOWNLOAD_BYTES} bytes`, {
          host: url.host,
          limit_bytes: config.MAX_DOWNLOAD_BYTES,
        });
      }
      throw transportError(error, "Downloading a result");
    }

    const location = headerValue(response.headers, "location");
    if (response.status >= 300 && response.status < 400 && location) {
      if (hop >= MAX_REDIRECTS) throw refused(url, "too many redirects");
      url = new URL(location, url);
      continue;
    }
    if (response.status !== 200) {
      ctx.log.warn("claid download failed", { host: url.host, status: response.status });
      throw errors.upstreamUnavailable(`Downloading a result failed with status ${response.status}`, {
        host: url.host,
        upstream_status: response.status,
      });
    }
    const type = await fileTypeFromBuffer(response.body);
    if (!type || !type.mime.startsWith("image/")) {
      ctx.log.warn("claid download refused: not an image", { host: url.host, detected: type?.mime });
      throw refused(url, "it is not an image");
    }
    const stored = await ctx.storage.put(response.body, type.ext);
    return { ...stored, ext: type.ext, mime: type.mime };
  }
}
