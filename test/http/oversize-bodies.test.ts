// Oversize bodies against the built app under `next start`, on keep-alive connections: every one is
// answered 413 in the error shape, and the connection's next request works.
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DRAIN_LIMIT_BYTES } from "@/lib/server/http/body";

import { adminToken, startNext, type NextServer } from "../support/next-start";

const JSON_LIMIT = 64 * 1024;
let server: NextServer;
let token = "";

beforeAll(async () => {
  server = await startNext({ MAX_JSON_BYTES: String(JSON_LIMIT) });
  token = await adminToken(server.origin);
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

type Answer = { status: number | string; body: string; headers: http.IncomingHttpHeaders; socket: number };

const socketIds = new WeakMap<net.Socket, number>();
let nextSocketId = 0;

/** One request through `agent`; `chunks` sent one write at a time, chunked unless a length is declared. */
function send(
  agent: http.Agent,
  method: string,
  path: string,
  chunks: Buffer[] = [],
  declare = false,
): Promise<Answer & { reused: boolean }> {
  return new Promise((resolve) => {
    const size = chunks.reduce((n, c) => n + c.length, 0);
    const req = http.request({
      host: "127.0.0.1",
      port: server.port,
      method,
      path,
      agent,
      headers: {
        authorization: `Bearer ${token}`,
        ...(chunks.length ? { "content-type": "application/json" } : {}),
        ...(declare ? { "content-length": String(size) } : {}),
      },
    });
    let socket = -1;
    req.on("socket", (s) => {
      if (!socketIds.has(s)) socketIds.set(s, nextSocketId++);
      socket = socketIds.get(s)!;
    });
    req.on("response", (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          body,
          headers: res.headers,
          socket,
          reused: req.reusedSocket,
        }),
      );
    });
    req.on("error", (error: NodeJS.ErrnoException) =>
      resolve({ status: error.code ?? "error", body: "", headers: {}, socket, reused: req.reusedSocket }),
    );
    const write = (i: number) => {
      if (i === chunks.length) return void req.end();
      if (req.write(chunks[i]!)) setImmediate(() => write(i + 1));
      else req.once("drain", () => write(i + 1));
    };
    write(0);
  });
}

function oversize(bytes: number): Buffer[] {
  const chunk = Buffer.alloc(64 * 1024, " ");
  return Array.from({ length: Math.ceil(bytes / chunk.length) }, () => chunk);
}

describe.each([
  ["declared with Content-Length", true],
  ["sent chunked", false],
])("bodies over the JSON limit, %s", (_label, declare) => {
  it("are each answered 413, and the same connection serves the next request", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const sockets = new Set<number>();
      for (let i = 0; i < 12; i++) {
        // From just over the limit to 4 MB.
        const body = oversize(JSON_LIMIT + 1 + ((i * 350_000) % (4 * 1024 * 1024)));
        const refused = await send(agent, "POST", "/api/generations", body, declare);
        expect(refused.status, `body ${i}`).toBe(413);
        expect(JSON.parse(refused.body)).toMatchObject({
          error_code: "payload_too_large",
          error_type: "validation",
          error_details: { limit_bytes: JSON_LIMIT },
        });
        const next = await send(agent, "GET", "/api/me");
        expect(next.status, `request after body ${i}`).toBe(200);
        expect(next.reused, `request after body ${i} on the same connection`).toBe(true);
        expect(next.socket).toBe(refused.socket);
        sockets.add(refused.socket);
      }
      // One connection carried every request.
      expect(sockets.size).toBe(1);
    } finally {
      agent.destroy();
    }
  });
});

describe("a body declared past what the server drains", () => {
  it("gets its 413 with Connection: close, and the connection ends cleanly", async () => {
    const socket = net.connect(server.port, "127.0.0.1");
    let received = "";
    const ended = new Promise<string>((resolve) => {
      socket.on("data", (chunk: Buffer) => (received += chunk.toString()));
      socket.on("end", () => resolve("end"));
      socket.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
    });
    socket.write(
      [
        "POST /api/generations HTTP/1.1",
        `Host: 127.0.0.1:${server.port}`,
        `Authorization: Bearer ${token}`,
        "Content-Type: application/json",
        `Content-Length: ${DRAIN_LIMIT_BYTES + 1}`,
        "",
        "",
      ].join("\r\n"),
    );
    socket.write(Buffer.alloc(256 * 1024, " "));
    expect(await ended).toBe("end");
    socket.destroy();
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    expect(received).toMatch(/\r\nconnection: close\r\n/i);
    expect(received).toContain('"error_code":"payload_too_large"');
  });
});
