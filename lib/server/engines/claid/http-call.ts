import "server-only";

import http from "node:http";
import https from "node:https";
import type { Socket } from "node:net";

/**
 * One HTTP exchange with the upstream, built on `node:http` rather than `fetch` because the retry rule
 * depends on a fact `fetch` hides: whether any byte of the request was handed to the connection. The
 * request is written only once the connection is established (TCP, and TLS for https), so every
 * failure before that point provably sent nothing and may be retried; every failure after it may have
 * reached the upstream (and spent credits) and must not be.
 */
export type HttpResponse = {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
};

export type CallFailure =
  /** The connection failed before the request was written: nothing reached the upstream. */
  | { kind: "not_sent"; code?: string }
  /** The connection broke after the request was written: the upstream may have acted on it. */
  | { kind: "sent"; code?: string }
  | { kind: "timeout"; sent: boolean }
  | { kind: "too_large"; limit: number }
  | { kind: "aborted" };

export class CallError extends Error {
  constructor(
    readonly failure: CallFailure,
    message: string,
  ) {
    super(message);
    this.name = "CallError";
  }
}

export type CallOptions = {
  method: "GET" | "POST";
  url: URL;
  headers?: Record<string, string>;
  body?: Uint8Array;
  timeoutMs: number;
  /** The response body is refused (and the connection dropped) beyond this many bytes. */
  maxResponseBytes: number;
  signal?: AbortSignal;
};

// Keep-alive matters for the proxy's added latency: a new TLS handshake per call would dominate it.
const agents = {
  "http:": new http.Agent({ keepAlive: true }),
  "https:": new https.Agent({ keepAlive: true }),
};

export function httpCall(options: CallOptions): Promise<HttpResponse> {
  const { url, body } = options;
  const protocol = url.protocol;
  if (protocol !== "http:" && protocol !== "https:") {
    return Promise.reject(new CallError({ kind: "not_sent" }, `Unsupported protocol ${protocol}`));
  }
  const transport = protocol === "https:" ? https : http;

  return new Promise<HttpResponse>((resolve, reject) => {
    let written = false;
    let settled = false;

    const headers: Record<string, string> = { ...options.headers };
    if (body) headers["content-length"] = String(body.byteLength);
    const request = transport.request(url, { method: options.method, headers, agent: agents[protocol] });

    const timer = setTimeout(() => {
      fail({ kind: "timeout", sent: written }, `No complete answer within ${options.timeoutMs} ms`);
    }, options.timeoutMs);
    const onAbort = () => fail({ kind: "aborted" }, "The call was cancelled");
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (options.signal?.aborted) onAbort();

    function cleanup() {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
    }

    function fail(failure: CallFailure, message: string) {
      if (settled) return;
      settled = true;
      cleanup();
      request.destroy();
      reject(new CallError(failure, message));
    }

    function send(socket: Socket) {
      if (settled) return;
      if (socket.destroyed) {
        fail({ kind: "not_sent", code: "ECONNRESET" }, "The connection closed before the request was sent");
        return;
      }
      written = true;
      request.end(body);
    }

    request.on("socket", (socket: Socket) => {
      // A pooled connection is already established; a new one is written to only once it is up.
      if (request.reusedSocket || !socket.connecting) send(socket);
      else socket.once(protocol === "https:" ? "secureConnect" : "connect", () => send(socket));
    });

    request.on("error", (error: NodeJS.ErrnoException) => {
      const code = error.code;
      fail(
        written ? { kind: "sent", code } : { kind: "not_sent", code },
        written
          ? `The connection broke after the request was sent (${code ?? error.message})`
          : `Could not connect (${code ?? error.message})`,
      );
    });

    request.on("response", (response) => {
      const declared = Number(response.headers["content-length"] ?? "NaN");
      if (Number.isFinite(declared) && declared > options.maxResponseBytes) {
        response.destroy();
        fail(
          { kind: "too_large", limit: options.maxResponseBytes },
          `The answer is larger than ${options.maxResponseBytes} bytes`,
        );
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.byteLength;
        if (size > options.maxResponseBytes) {
          response.destroy();
          fail(
            { kind: "too_large", limit: options.maxResponseBytes },
            `The answer is larger than ${options.maxResponseBytes} bytes`,
          );
          return;
        }
        chunks.push(chunk);
      });
      response.on("error", (error: NodeJS.ErrnoException) => {
        fail({ kind: "sent", code: error.code }, `The answer broke off (${error.code ?? error.message})`);
      });
      response.on("aborted", () => fail({ kind: "sent", code: "ECONNRESET" }, "The answer broke off"));
      response.on("end", () => {
        if (settled) return;
        if (!response.complete) {
          fail({ kind: "sent", code: "ECONNRESET" }, "The answer broke off");
          return;
        }
        settled = true;
        cleanup();
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks, size),
        });
      });
    });
  });
}

/** The first value of a response header. */
export function headerValue(headers: http.IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
