import "server-only";

import http from "node:http";
import https from "node:https";

/**
 * One HTTP exchange over `node:http(s)`, because the retry rules depend on knowing whether any byte of
 * the request could have reached the server: a failure before the socket connected is safe to repeat,
 * anything later may already have cost credits.
 */
export type TransportRequest = {
  method: "GET" | "POST";
  url: string;
  headers?: Record<string, string>;
  body?: Uint8Array;
  /** Deadline for the whole exchange, response body included. */
  timeoutMs: number;
  /** The response body is refused beyond this many bytes. */
  maxResponseBytes: number;
  agent?: http.Agent;
  signal?: AbortSignal;
};

export type TransportResponse = {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
};

export type TransportFailureKind =
  /** The connection could not be made (refused, DNS, unreachable): nothing was sent. */
  | "connect"
  /** The connection broke after it was made: the server may have acted on the request. */
  | "dropped"
  | "timeout"
  | "too_large"
  | "aborted";

export class TransportError extends Error {
  override name = "TransportError";
  constructor(
    readonly kind: TransportFailureKind,
    message: string,
    /** True once the socket was connected, i.e. the request may have been delivered. */
    readonly sent: boolean,
    readonly code?: string,
  ) {
    super(message);
  }
}

const keepAlive = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

function headerNumber(value: string | string[] | undefined): number | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined || first.trim() === "") return undefined;
  const n = Number(first);
  return Number.isFinite(n) ? n : undefined;
}

export function send(request: TransportRequest): Promise<TransportResponse> {
  const url = new URL(request.url);
  const secure = url.protocol === "https:";
  const lib = secure ? https : http;
  const headers: Record<string, string> = { ...request.headers };
  if (request.body) headers["content-length"] = String(request.body.byteLength);

  return new Promise<TransportResponse>((resolve, reject) => {
    let connected = false;
    let settled = false;
    let failure: TransportError | undefined;

    const finish = (error: TransportError | undefined, response?: TransportResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal?.removeEventListener("abort", onAbort);
      if (error) reject(error);
      else if (response) resolve(response);
    };

    /** Ends the exchange with `error`; the socket's own error that follows is then ignored. */
    const abortWith = (error: TransportError) => {
      failure ??= error;
      req.destroy();
      finish(failure);
    };

    const req = lib.request(url, {
      method: request.method,
      headers,
      agent: request.agent ?? (secure ? keepAlive.https : keepAlive.http),
    });

    const timer = setTimeout(
      () =>
        abortWith(
          new TransportError("timeout", `No complete answer within ${request.timeoutMs} ms`, connected),
        ),
      request.timeoutMs,
    );
    const onAbort = () => abortWith(new TransportError("aborted", "The request was cancelled", connected));
    req.on("socket", (socket) => {
      // A pooled socket is already connected; a fresh one reports `connect` once the handshake is done.
      if (!socket.connecting) connected = true;
      else socket.once("connect", () => (connected = true));
    });

    req.on("error", (error: NodeJS.ErrnoException) => {
      if (failure) return finish(failure);
      const kind = connected ? "dropped" : "connect";
      finish(new TransportError(kind, error.message, connected, error.code));
    });

    req.on("response", (res) => {
      const declared = headerNumber(res.headers["content-length"]);
      const tooLarge = () =>
        new TransportError("too_large", `The answer is larger than ${request.maxResponseBytes} bytes`, true);
      if (declared !== undefined && declared > request.maxResponseBytes) return abortWith(tooLarge());
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.byteLength;
        if (size > request.maxResponseBytes) return abortWith(tooLarge());
        chunks.push(chunk);
      });
      res.on("end", () => {
        if (failure) return;
        finish(undefined, {
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks, size),
        });
      });
      res.on("aborted", () => abortWith(new TransportError("dropped", "The answer was cut off", true)));
      res.on("error", (error: NodeJS.ErrnoException) =>
        abortWith(new TransportError("dropped", error.message, true, error.code)),
      );
    });

    // Only now that every listener is attached may the request be destroyed.
    if (request.signal?.aborted) {
      onAbort();
      return;
    }
    request.signal?.addEventListener("abort", onAbort, { once: true });

    req.end(request.body);
  });
}

export function headerValue(headers: http.IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export { headerNumber };
