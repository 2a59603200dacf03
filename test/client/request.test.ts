import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { z } from "zod";

import { ApiFailure, envelopeOf, fieldError, request, send } from "@/lib/client/request";

describe("the browser's request module", () => {
  let server: http.Server;
  let base: string;
  const seen: { method?: string; type?: string; body: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        seen.push({ method: req.method, type: req.headers["content-type"], body });
        const reply = (status: number, value?: unknown) => {
          res.writeHead(status, { "content-type": "application/json" });
          res.end(value === undefined ? undefined : JSON.stringify(value));
        };
        if (req.url === "/ok") return reply(200, { name: "ada", extra: 1 });
        if (req.url === "/none") return reply(204);
        if (req.url === "/invalid")
          return reply(422, {
            error_code: "validation_error",
            error_type: "validation",
            error_message: "The request does not match the contract",
            error_details: {
              fields: { email: ["Enter an email address"], name: ["Enter a name", "Too short"] },
            },
          });
        if (req.url === "/auth")
          return reply(401, { code: "INVALID_EMAIL_OR_PASSWORD", message: "Invalid email or password" });
        res.writeHead(502, "Bad Gateway", { "content-type": "text/html" });
        res.end("<html>proxy error</html>");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  test("sends JSON and checks the answer with the given schema", async () => {
    const answer = await request(`${base}/ok`, z.object({ name: z.string() }), { json: { a: 1 } });
    expect(answer).toEqual({ name: "ada" });
    expect(seen.at(-1)).toEqual({ method: "POST", type: "application/json", body: '{"a":1}' });
    await expect(request(`${base}/ok`, z.object({ name: z.number() }))).rejects.toThrow();
  });

  test("an answer without a body is fine when none is expected", async () => {
    await expect(send(`${base}/none`, { method: "DELETE" })).resolves.toBeUndefined();
    expect(seen.at(-1)?.method).toBe("DELETE");
  });

  test("a failure carries the server's envelope and its field messages", async () => {
    const error = await send(`${base}/invalid`, { json: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiFailure);
    const failure = error as ApiFailure;
    expect(failure.status).toBe(422);
    expect(failure.code).toBe("validation_error");
    expect(failure.message).toBe("The request does not match the contract");
    expect(failure.fieldMessages("name")).toEqual(["Enter a name", "Too short"]);
    expect(fieldError(failure, "email")).toBe("Enter an email address");
    expect(fieldError(failure, "password")).toBeUndefined();
    expect(fieldError(new Error("other"), "email")).toBeUndefined();
  });

  test("Better Auth's `{ code, message }` and bodies that are not JSON get an envelope too", async () => {
    const auth = (await send(`${base}/auth`, { json: {} }).catch((e: unknown) => e)) as ApiFailure;
    expect(auth.details).toEqual({
      error_code: "invalid_email_or_password",
      error_type: "auth",
      error_message: "Invalid email or password",
    });
    const proxy = (await send(`${base}/proxy`).catch((e: unknown) => e)) as ApiFailure;
    expect(proxy.status).toBe(502);
    expect(proxy.details).toMatchObject({ error_code: "http_502", error_message: "Bad Gateway" });
  });

  test("an unreachable server is a network failure in plain words", async () => {
    // A port of our own that nothing listens on any more.
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const failure = (await send(`http://127.0.0.1:${port}/`).catch((e: unknown) => e)) as ApiFailure;
    expect(failure).toBeInstanceOf(ApiFailure);
    expect(failure.status).toBe(0);
    expect(failure.details.error_code).toBe("network_error");
    expect(failure.message).toMatch(/Could not reach the server/);
  });

  test("an envelope keeps what the server sent beside the known fields", () => {
    expect(
      envelopeOf(402, "", {
        error_code: "budget_spent",
        error_type: "billing",
        error_message: "No images left today",
        retry_after: 3600,
      }),
    ).toEqual({
      error_code: "budget_spent",
      error_type: "billing",
      error_message: "No images left today",
      retry_after: 3600,
    });
    expect(envelopeOf(500, "", undefined)).toEqual({
      error_code: "http_500",
      error_type: "general",
      error_message: "The request failed (HTTP 500)",
    });
  });
});
