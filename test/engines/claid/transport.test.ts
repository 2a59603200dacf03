import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { send, TransportError } from "@/lib/server/engines/claid/transport";

let server: http.Server;
let origin: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === "/drop") return req.socket.destroy();
    if (req.url === "/cut") {
      res.writeHead(200, { "content-length": "100" });
      res.write("partial");
      setTimeout(() => res.destroy(), 10);
      return;
    }
    res.end("ok");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

async function failure(url: string, timeoutMs = 5000): Promise<TransportError> {
  const error = await send({
    method: "POST",
    url,
    body: new Uint8Array([1]),
    timeoutMs,
    maxResponseBytes: 1000,
  }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TransportError);
  return error as TransportError;
}

describe("transport: was anything sent?", () => {
  it("reports a DNS failure as a connection failure with nothing sent", async () => {
    const error = await failure("http://backdrop-test.invalid/v1/scene/create");
    expect(error).toMatchObject({ kind: "connect", sent: false });
    expect(["ENOTFOUND", "EAI_AGAIN"]).toContain(error.code);
  });

  it("reports a connection dropped after connecting as possibly sent", async () => {
    expect(await failure(`${origin}/drop`)).toMatchObject({ kind: "dropped", sent: true });
  });

  it("reports an answer cut off half-way as dropped", async () => {
    expect(await failure(`${origin}/cut`)).toMatchObject({ kind: "dropped", sent: true });
  });

  it("answers normally otherwise", async () => {
    const response = await send({ method: "GET", url: `${origin}/`, timeoutMs: 5000, maxResponseBytes: 10 });
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe("ok");
  });

  it("refuses an answer over the byte limit", async () => {
    const error = await send({
      method: "GET",
      url: `${origin}/`,
      timeoutMs: 5000,
      maxResponseBytes: 1,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "too_large" });
  });

  it("stops at once when cancelled", async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await send({
      method: "GET",
      url: `${origin}/`,
      timeoutMs: 5000,
      maxResponseBytes: 10,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "aborted" });
  });
});
