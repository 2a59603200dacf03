import http from "node:http";
import type { AddressInfo, LookupFunction } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { loadConfig, setConfigForTests } from "@/lib/server/config";
import { ApiError } from "@/lib/server/errors";
import { guardedFetch, type GuardedFetchOptions } from "@/lib/server/net/guarded-fetch";

setConfigForTests(
  loadConfig({ DATA_DIR: process.env.DATA_DIR ?? "./data", NODE_ENV: "test", FETCH_TIMEOUT_MS: "5000" }),
);

const PNG = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");
let server: http.Server;
let port = 0;
let base = "";

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/image.png") {
      res.writeHead(200, { "content-type": "image/png", "content-length": PNG.length });
      res.end(PNG);
    } else if (url.pathname === "/redirect") {
      res.writeHead(302, { location: url.searchParams.get("to") ?? "/image.png" });
      res.end();
    } else if (url.pathname === "/chain") {
      const n = Number(url.searchParams.get("n") ?? "0");
      res.writeHead(301, { location: n > 0 ? `/chain?n=${n - 1}` : "/image.png" });
      res.end();
    } else if (url.pathname === "/endless") {
      // 10 MB without a Content-Length: only counting while reading can stop it.
      res.writeHead(200, { "content-type": "image/png" });
      let sent = 0;
      const more = () => {
        while (sent < 10 * 1024 * 1024) {
          sent += 64 * 1024;
          if (!res.write(Buffer.alloc(64 * 1024))) return void res.once("drain", more);
        }
        res.end();
      };
      more();
    } else if (url.pathname === "/declared-huge") {
      res.writeHead(200, { "content-type": "image/png", "content-length": String(2 * 1024 ** 3) });
      res.write(Buffer.alloc(1024));
    } else if (url.pathname === "/slow") {
      res.writeHead(200, { "content-type": "image/png" });
      res.write(Buffer.alloc(10));
    } else {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("no such thing");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function failure(url: string, options: Partial<GuardedFetchOptions> = {}) {
  try {
    await guardedFetch(url, { maxBytes: 1024 * 1024, allowLoopback: false, ...options });
  } catch (error) {
    if (error instanceof ApiError) return { status: error.status, code: error.code, details: error.details };
    throw error;
  }
  throw new Error(`${url} was fetched`);
}

/** A resolver that answers `address` for every name: what a hostile DNS server can do. */
function resolvingTo(...addresses: string[]): LookupFunction {
  let i = 0;
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    const address = addresses[Math.min(i++, addresses.length - 1)] ?? "127.0.0.1";
    const family = address.includes(":") ? 6 : 4;
    if (options?.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as unknown as LookupFunction;
}

/** A resolver that fails like a name that does not exist, without asking any DNS server. */
const notFound = ((_host: string, _options: unknown, callback: (error: Error) => void) =>
  callback(
    Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" }),
  )) as unknown as LookupFunction;

// Which addresses are refused is tested on the rules themselves (address-rules.test.ts). Here the agent
// is checked to apply them, with addresses that stay on this machine even if it did not.
describe("SSRF: refused before connecting", () => {
  const table = () => [
    `http://127.0.0.1:${port}/image.png`,
    `http://localhost:${port}/image.png`,
    `http://[::1]:${port}/image.png`,
    `http://2130706433:${port}/image.png`,
    `http://0x7f000001:${port}/image.png`,
    `http://0177.0.0.1:${port}/image.png`,
    `http://127.1:${port}/image.png`,
    `http://0.0.0.0:${port}/image.png`,
    `http://[::ffff:127.0.0.1]:${port}/image.png`,
    `http://[::ffff:7f00:1]:${port}/image.png`,
    `https://127.0.0.1:${port}/image.png`,
  ];

  it("refuses loopback in every spelling, and the unspecified address", async () => {
    for (const url of table()) {
      expect(await failure(url), url).toMatchObject({ status: 422, code: "url_not_allowed" });
    }
  });

  it("refuses a name that resolves to loopback", async () => {
    expect(
      await failure(`http://backdrop-test.example:${port}/image.png`, { lookup: resolvingTo("127.0.0.1") }),
    ).toMatchObject({
      code: "url_not_allowed",
    });
    expect(
      await failure(`http://backdrop-test.example:${port}/image.png`, { lookup: resolvingTo("::1") }),
    ).toMatchObject({
      code: "url_not_allowed",
    });
  });

  it.each([
    "file:///etc/passwd",
    "ftp://example.com/a.png",
    "gopher://127.0.0.1:70/",
    "data:image/png;base64,iVBORw0KGgo=",
    "http://user:password@example.com/a.png",
    "not a url",
  ])("refuses %s", async (url) => {
    expect(await failure(url)).toMatchObject({ status: 422, code: "url_not_allowed" });
  });
});

describe("with loopback allowed (stand-in servers)", () => {
  const loopback = { allowLoopback: true };

  it("fetches from loopback", async () => {
    const fetched = await guardedFetch(`${base}/image.png`, { maxBytes: 1024, ...loopback });
    expect(fetched.bytes.equals(PNG)).toBe(true);
    expect(fetched.contentType).toBe("image/png");
  });

  it("still refuses the unspecified address, which also lands on this machine", async () => {
    expect(await failure(`http://0.0.0.0:${port}/image.png`, loopback)).toMatchObject({
      code: "url_not_allowed",
    });
  });

  it("checks every redirect hop", async () => {
    for (const target of [`http://0.0.0.0:${port}/image.png`, "file:///etc/passwd"]) {
      const url = `${base}/redirect?to=${encodeURIComponent(target)}`;
      expect(await failure(url, loopback), target).toMatchObject({ status: 422, code: "url_not_allowed" });
    }
  });

  it("follows up to five redirects, not six", async () => {
    const fetched = await guardedFetch(`${base}/chain?n=4`, { maxBytes: 1024, ...loopback });
    expect(fetched.redirects).toBe(5);
    expect(await failure(`${base}/chain?n=5`, loopback)).toMatchObject({ code: "url_too_many_redirects" });
  });

  it("checks the address of every connection, so DNS rebinding gets nowhere", async () => {
    const lookup = resolvingTo("127.0.0.1", "0.0.0.0");
    const first = await guardedFetch(`http://rebinding.example:${port}/image.png`, {
      maxBytes: 1024,
      lookup,
      ...loopback,
    });
    expect(first.bytes.equals(PNG)).toBe(true);
    expect(
      await failure(`http://rebinding.example:${port}/image.png`, { lookup, ...loopback }),
    ).toMatchObject({
      code: "url_not_allowed",
    });
  });

  it("stops reading at the size limit, declared or not", async () => {
    const before = process.memoryUsage().rss;
    expect(await failure(`${base}/endless`, loopback)).toMatchObject({ status: 422, code: "url_too_large" });
    expect(await failure(`${base}/declared-huge`, loopback)).toMatchObject({
      status: 422,
      code: "url_too_large",
    });
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });

  it("gives up after the time limit", async () => {
    expect(await failure(`${base}/slow`, { ...loopback, timeoutMs: 200 })).toMatchObject({
      status: 422,
      code: "url_timeout",
    });
  });

  it("reports what went wrong upstream as 422", async () => {
    expect(await failure(`${base}/missing`, loopback)).toMatchObject({
      code: "url_unreachable",
      details: { status: 404 },
    });
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await failure(`http://127.0.0.1:${closedPort}/`, loopback)).toMatchObject({
      code: "url_unreachable",
    });
    expect(await failure("http://no-such-host.invalid/", { ...loopback, lookup: notFound })).toMatchObject({
      code: "url_unreachable",
    });
  });
});
