import "server-only";

import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net, { type LookupFunction } from "node:net";
import type { Duplex } from "node:stream";

import { judgeAddress, type AddressRules } from "./address-rules";

/**
 * HTTP(S) agents that judge the address every socket is about to connect to, after DNS: a literal
 * address in the URL, and every answer of the resolver (the system's or one passed as `lookup`). So a
 * name that resolves to a private address, DNS rebinding between two connections and redirects to
 * internal hosts all meet the same rules (`address-rules.ts`).
 */

export const ADDRESS_NOT_ALLOWED = "ERR_ADDRESS_NOT_ALLOWED";

export class AddressNotAllowedError extends Error {
  override name = "AddressNotAllowedError";
  readonly code = ADDRESS_NOT_ALLOWED;
  constructor(
    readonly host: string,
    readonly address: string,
    readonly reason: string,
  ) {
    super(`Connecting to ${host} (${address}) is not allowed: it is ${reason}`);
  }
}

export function isAddressNotAllowed(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === ADDRESS_NOT_ALLOWED;
}

function check(host: string, address: string, rules: AddressRules): AddressNotAllowedError | undefined {
  const verdict = judgeAddress(address, rules);
  return verdict.allowed ? undefined : new AddressNotAllowedError(host, address, verdict.reason);
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: unknown, family?: number) => void;

/** `lookup` with every answer judged; one refused answer refuses the name. */
function checkedLookup(rules: AddressRules, lookup: LookupFunction = dns.lookup): LookupFunction {
  const checked = (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => {
    lookup(hostname, options, ((error, address, family) => {
      if (error) return callback(error, address, family);
      const answers: { address: string }[] = Array.isArray(address)
        ? (address as dns.LookupAddress[])
        : [{ address: String(address) }];
      for (const answer of answers) {
        const refusal = check(hostname, answer.address, rules);
        if (refusal) return callback(refusal, undefined);
      }
      callback(null, address, family);
    }) as LookupCallback);
  };
  return checked as unknown as LookupFunction;
}

type ConnectOptions = { host?: string | null; lookup?: LookupFunction };
type ConnectCallback = (error: Error | null, stream: Duplex) => void;

/** The options to connect with, or the error to fail with before any connection is attempted. */
function guarded<T extends ConnectOptions>(options: T, rules: AddressRules): T | AddressNotAllowedError {
  const host = options.host ?? "localhost";
  if (net.isIP(host) !== 0) {
    const refusal = check(host, host, rules);
    if (refusal) return refusal;
  }
  return { ...options, lookup: checkedLookup(rules, options.lookup) };
}

function failedSocket(error: Error, callback: ConnectCallback | undefined): net.Socket {
  const socket = new net.Socket();
  if (callback) callback(error, socket);
  else socket.destroy(error);
  return socket;
}

export class AddressCheckingHttpAgent extends http.Agent {
  constructor(
    readonly rules: AddressRules,
    options?: http.AgentOptions,
  ) {
    super(options);
  }

  override createConnection(options: http.ClientRequestArgs, callback?: ConnectCallback) {
    const checked = guarded(options, this.rules);
    if (checked instanceof Error) return failedSocket(checked, callback);
    return super.createConnection(checked, callback);
  }
}

export class AddressCheckingHttpsAgent extends https.Agent {
  constructor(
    readonly rules: AddressRules,
    options?: https.AgentOptions,
  ) {
    super(options);
  }

  override createConnection(options: https.RequestOptions, callback?: ConnectCallback) {
    const checked = guarded(options, this.rules);
    if (checked instanceof Error) return failedSocket(checked, callback);
    return super.createConnection(checked, callback);
  }
}

export type CheckedAgents = { http: AddressCheckingHttpAgent; https: AddressCheckingHttpsAgent };

const agents = new Map<string, CheckedAgents>();

/** One pair of agents per rule set and keep-alive choice, shared by everything that uses them. */
export function checkedAgents(rules: AddressRules, options: { keepAlive: boolean }): CheckedAgents {
  const id = `${rules.allowLoopback}|${options.keepAlive}`;
  let pair = agents.get(id);
  if (!pair) {
    pair = {
      http: new AddressCheckingHttpAgent({ ...rules }, options),
      https: new AddressCheckingHttpsAgent({ ...rules }, options),
    };
    agents.set(id, pair);
  }
  return pair;
}
