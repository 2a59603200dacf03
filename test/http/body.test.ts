// What readBodyLimited leaves of an oversize body: drained (so the connection stays usable) up to a
// bound, and past that bound not read at all, with the 413 saying the connection will close.
import { describe, expect, it } from "vitest";

import { ApiError } from "@/lib/server/errors";
import { DRAIN_LIMIT_BYTES, readBodyLimited, readJsonBody } from "@/lib/server/http/body";

const MB = 1024 * 1024;

/** A body of `total` bytes made on demand, recording how far it was read and whether it was cancelled. */
function countingBody(total: number, chunk = MB) {
  const seen = { pulled: 0, cancelled: false, ended: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (seen.pulled >= total) {
        seen.ended = true;
        controller.close();
        return;
      }
      const size = Math.min(chunk, total - seen.pulled);
      seen.pulled += size;
      controller.enqueue(new Uint8Array(size));
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { stream, seen };
}

function request(body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  return new Request("http://127.0.0.1/api/x", {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...headers },
    duplex: "half",
  } as RequestInit);
}

async function refusal(work: Promise<unknown>): Promise<ApiError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

async function settled(condition: () => boolean) {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe("an oversize body", () => {
  it("without a length: 413, and the rest is read to its end, not cancelled", async () => {
    const { stream, seen } = countingBody(8 * MB);
    const error = await refusal(readBodyLimited(request(stream), 64 * 1024));
    expect(error).toMatchObject({ status: 413, code: "payload_too_large" });
    expect(error.headers).not.toHaveProperty("connection");
    await settled(() => seen.ended);
    expect(seen).toEqual({ pulled: 8 * MB, cancelled: false, ended: true });
  });

  it("with a length over the limit: 413 before reading, then the rest is drained", async () => {
    const { stream, seen } = countingBody(2 * MB);
    const error = await refusal(
      readJsonBody(request(stream, { "content-length": String(2 * MB) }), 64 * 1024),
    );
    expect(error.status).toBe(413);
    expect(error.headers).not.toHaveProperty("connection");
    await settled(() => seen.ended);
    expect(seen).toMatchObject({ pulled: 2 * MB, cancelled: false, ended: true });
  });

  it("that keeps going past the drain bound is cancelled there", async () => {
    const { stream, seen } = countingBody(4 * DRAIN_LIMIT_BYTES);
    await refusal(readBodyLimited(request(stream), 64 * 1024));
    await settled(() => seen.cancelled);
    expect(seen.cancelled).toBe(true);
    expect(seen.pulled).toBeGreaterThan(DRAIN_LIMIT_BYTES);
    expect(seen.pulled).toBeLessThan(DRAIN_LIMIT_BYTES + 8 * MB);
  });

  it("declared past the drain bound: not read at all, and the 413 closes the connection", async () => {
    const { stream, seen } = countingBody(DRAIN_LIMIT_BYTES + 1);
    const error = await refusal(
      readBodyLimited(request(stream, { "content-length": String(DRAIN_LIMIT_BYTES + 1) }), 64 * 1024),
    );
    expect(error.status).toBe(413);
    expect(error.headers).toMatchObject({ connection: "close" });
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.pulled).toBeLessThanOrEqual(MB);
  });

  it("within the limit is read whole", async () => {
    const { stream } = countingBody(3000, 1000);
    expect((await readBodyLimited(request(stream), 3000)).byteLength).toBe(3000);
  });
});
