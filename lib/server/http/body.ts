import "server-only";

import { errors, type ApiError } from "../errors";

/**
 * An oversize body is answered 413 at once, but the connection must stay usable: a client on a
 * keep-alive connection sends its next request after the rest of this body. Cancelling the body stream
 * destroys the request under Next, and with it the socket, so the client sees a reset instead of its 413,
 * and so does its next request. So the rest is read and thrown away in the background, up to a bound;
 * a body declared larger than that is not read at all and its 413 says `Connection: close`.
 */
export const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;
/** A body that trickles in slower than this is given up on (the socket is then closed). */
export const DRAIN_TIMEOUT_MS = 30_000;

function tooLargeAndClosing(limit: number): ApiError {
  return errors.tooLarge(limit, { connection: "close" });
}

/** Reads what is left of a refused body and drops it, so Node sees the request end normally. */
async function drainInBackground(reader: ReadableStreamDefaultReader<Uint8Array>, alreadyRead: number) {
  let drained = alreadyRead;
  const timer = setTimeout(() => void reader.cancel().catch(() => undefined), DRAIN_TIMEOUT_MS);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      drained += value.byteLength;
      if (drained > DRAIN_LIMIT_BYTES) {
        await reader.cancel();
        return;
      }
    }
  } catch {
    // The client went away or the stream was cancelled: nothing is left to drain.
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The body's chunks as they arrive, at most `limit` bytes in all: a larger Content-Length is refused
 * before anything is read, a body that goes past the limit is refused there, each with a 413 and the
 * rest handled as above.
 */
export async function* readBodyChunks(request: Request, limit: number): AsyncGenerator<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) {
    if (declared > DRAIN_LIMIT_BYTES) throw tooLargeAndClosing(limit);
    if (request.body) void drainInBackground(request.body.getReader(), 0);
    throw errors.tooLarge(limit);
  }
  if (!request.body) return;
  const reader = request.body.getReader();
  let size = 0;
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      size += value.byteLength;
      if (size > limit) {
        finished = true;
        void drainInBackground(reader, size);
        throw errors.tooLarge(limit);
      }
      yield value;
    }
  } finally {
    // A reader that stopped early (a parse error on the way) still lets the rest arrive and go.
    if (!finished) void drainInBackground(reader, size);
  }
}

/** Reads at most `limit` bytes of a body, refusing early on a larger Content-Length. */
export async function readBodyLimited(request: Request, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of readBodyChunks(request, limit)) {
    chunks.push(chunk);
    size += chunk.byteLength;
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

function isJsonContentType(value: string | null): boolean {
  if (!value) return false;
  const type = value.split(";")[0]?.trim().toLowerCase() ?? "";
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

/** A JSON body: 415 for another content type, 413 over `limit`, 400 when it does not parse. */
export async function readJsonBody(request: Request, limit: number): Promise<unknown> {
  if (!isJsonContentType(request.headers.get("content-type")))
    throw errors.unsupportedMediaType("application/json");
  const bytes = await readBodyLimited(request, limit);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw errors.badJson("it is not UTF-8");
  }
  if (text.trim() === "") throw errors.badJson("the body is empty");
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw errors.badJson(error instanceof Error ? error.message : "unreadable");
  }
}
