import net from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { sceneCreateRequest } from "@/lib/scene/contract";
import { storedImageUrl } from "@/lib/scene/image-ref";
import { claidEngine } from "@/lib/server/engines/claid";
import type { ApiError } from "@/lib/server/errors";
import { SCENE_PATH, startClaidStandin, UPLOAD_PATH, type ClaidStandin } from "@/test/support/claid-standin";

import { STANDIN_CLAID, TEST_CLAID_KEY, testConfig } from "../../support/config";
import { captureOutput, engineContext, productPng, promptBody } from "./support";

let standin: ClaidStandin;

beforeAll(async () => {
  standin = await startClaidStandin({ apiKey: TEST_CLAID_KEY });
});
afterAll(async () => {
  await standin.close();
});
afterEach(() => standin.reset());

const request = sceneCreateRequest.parse(promptBody);

async function failure(overrides: Record<string, string> = {}): Promise<ApiError> {
  const ctx = engineContext(testConfig({ ...STANDIN_CLAID, CLAID_API_BASE_URL: standin.url, ...overrides }));
  const outcome = await claidEngine.createScene(request, ctx).then(
    () => undefined,
    (e: unknown) => e as ApiError,
  );
  if (!outcome) throw new Error("expected the engine to fail");
  expect(outcome.name).toBe("ApiError");
  return outcome;
}

function scenes() {
  return standin.callsTo(SCENE_PATH).length;
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe("claid engine: upstream errors pass through", () => {
  it.each([401, 402, 403, 422])(
    "passes %i through with its body and the upstream request id, once",
    async (status) => {
      standin.setMode({ kind: "status", status });
      const error = await failure();
      expect(error.status).toBe(status);
      const body = error.toBody();
      expect(body.error_code).toEqual(expect.any(String));
      expect(body.error_details).toMatchObject({
        standin: true,
        upstream_request_id: expect.stringMatching(/^standin-/),
      });
      expect(scenes()).toBe(1);
    },
  );

  it("passes the stand-in's own 401 through for a wrong key", async () => {
    const error = await failure({ CLAID_API_KEY: "sk-wrong-key-123456" });
    expect(error.status).toBe(401);
    expect(error.toBody()).toMatchObject({ error_type: "auth", error_message: "Authorization is required." });
    expect(standin.callsTo(SCENE_PATH)[0]?.authorized).toBe(false);
  });

  it("passes the stand-in's schema verdict through as 422 with field paths", async () => {
    // Our contract accepts the prose aspect ratios; the published enum does not, so the upstream refuses.
    const ctx = engineContext(testConfig({ ...STANDIN_CLAID, CLAID_API_BASE_URL: standin.url }));
    const error = (await claidEngine
      .createScene(
        sceneCreateRequest.parse({ ...promptBody, scene: { prompt: "on a table", aspect_ratio: "4:7" } }),
        ctx,
      )
      .catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(422);
    expect(error.details.fields).toHaveProperty(["scene.aspect_ratio"]);
  });
});

describe("claid engine: 429", () => {
  it.each([false, true])("retries a 429 (wrapped: %s) up to twice and then succeeds", async (wrapped) => {
    standin.setMode({ kind: "status", status: 429, wrapped, resetSeconds: 0, times: 2 });
    const ctx = engineContext(testConfig({ ...STANDIN_CLAID, CLAID_API_BASE_URL: standin.url }));
    const result = await claidEngine.createScene(request, ctx);
    expect(result.outputs).toHaveLength(2);
    expect(result.timings.upstream_attempts).toBe(3);
    expect(scenes()).toBe(3);
  });

  it.each([false, true])(
    "passes a 429 (wrapped: %s) through, unwrapped, once the retries are spent",
    async (wrapped) => {
      standin.setMode({ kind: "status", status: 429, wrapped, resetSeconds: 1 });
      const error = await failure();
      expect(error.status).toBe(429);
      expect(error.toBody()).toMatchObject({
        error_code: "too_many_requests",
        error_message: "Too many requests.",
        error_details: { standin: true },
      });
      expect(error.toBody()).not.toHaveProperty("detail");
      expect(error.headers).toEqual({
        "ratelimit-limit": "10",
        "ratelimit-remaining": "0",
        "ratelimit-reset": "1",
      });
      expect(scenes()).toBe(3);
    },
  );

  it("does not retry a 429 when retries are configured off", async () => {
    standin.setMode({ kind: "status", status: 429, resetSeconds: 0 });
    const error = await failure({ CLAID_MAX_RETRIES: "0" });
    expect(error.status).toBe(429);
    expect(scenes()).toBe(1);
  });

  it("stops waiting for a retry when the request is cancelled, without another call", async () => {
    standin.setMode({ kind: "status", status: 429, resetSeconds: 20 });
    const controller = new AbortController();
    const ctx = {
      ...engineContext(
        testConfig({ ...STANDIN_CLAID, CLAID_API_BASE_URL: standin.url, CLAID_RETRY_CAP_MS: "20000" }),
      ),
      signal: controller.signal,
    };
    const output = captureOutput();
    const pending = claidEngine.createScene(request, ctx).catch((e: unknown) => e);
    // Cancel once the 429 has arrived, i.e. while the engine waits for RateLimit-Reset.
    while (!output.text().includes("upstream answered 429")) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    const error = await pending.finally(() => output.restore());
    expect(error).toMatchObject({ status: 499, code: "cancelled" });
    expect((error as Error).message).toContain("waiting to retry");
    expect(scenes()).toBe(1);
  });

  it("retries a 429 from the upload API under the same rules", async () => {
    standin.setMode({ kind: "status", status: 429, resetSeconds: 0, times: 1, on: "upload" });
    const ctx = engineContext(testConfig({ ...STANDIN_CLAID, CLAID_API_BASE_URL: standin.url }));
    const image = await ctx.storage.put(await productPng(40), "png");
    await claidEngine.createScene(
      sceneCreateRequest.parse({ ...promptBody, object: { image_url: storedImageUrl(image.key) } }),
      ctx,
    );
    expect(standin.callsTo(UPLOAD_PATH)).toHaveLength(2);
    expect(scenes()).toBe(1);
  });
});

describe("claid engine: failures that are never retried", () => {
  it("turns a 500 into 502 after one call", async () => {
    standin.setMode({ kind: "status", status: 500 });
    const error = await failure();
    expect(error.status).toBe(502);
    expect(error.details).toMatchObject({
      upstream_status: 500,
      upstream_request_id: expect.stringMatching(/^standin-/),
    });
    expect(scenes()).toBe(1);
  });

  it("turns a non-JSON error body into 502 in our shape", async () => {
    standin.setMode({ kind: "status", status: 403, rawBody: "<html>Forbidden</html>" });
    const error = await failure();
    expect(error.status).toBe(502);
    expect(error.toBody()).toMatchObject({
      error_code: "upstream_unavailable",
      error_details: { upstream_status: 403 },
    });
    expect(scenes()).toBe(1);
  });

  it("turns a time-out into 504 after one call", async () => {
    standin.setMode({ kind: "slow", delayMs: 1500 });
    const error = await failure({ CLAID_TIMEOUT_MS: "150" });
    expect(error.status).toBe(504);
    expect(error.toBody().error_code).toBe("upstream_timeout");
    expect(scenes()).toBe(1);
  });

  it.each(["before-body", "after-body"] as const)(
    "turns a connection dropped %s into 502 after one call",
    async (when) => {
      standin.setMode({ kind: "drop", when });
      const error = await failure();
      expect(error.status).toBe(502);
      expect(error.details).toMatchObject({ reason: "dropped" });
      expect(scenes()).toBe(1);
    },
  );
});

describe("claid engine: connection failures before sending", () => {
  it("retries a refused connection as often as allowed, then answers 502", async () => {
    const port = await closedPort();
    const output = captureOutput();
    try {
      const error = await failure({ CLAID_API_BASE_URL: `http://127.0.0.1:${port}` });
      expect(error.status).toBe(502);
      expect(error.details).toMatchObject({ reason: "connect", code: "ECONNREFUSED" });
    } finally {
      output.restore();
    }
    const attempts = output.lines.filter((l) => l.includes('"claid scene/create: connect"'));
    expect(attempts.map((l) => (JSON.parse(l) as { attempt: number; retrying: boolean }).attempt)).toEqual([
      1, 2, 3,
    ]);
    expect(attempts.map((l) => (JSON.parse(l) as { retrying: boolean }).retrying)).toEqual([
      true,
      true,
      false,
    ]);
    expect(output.text()).not.toContain(TEST_CLAID_KEY);
  });

  it("succeeds when the upstream is reachable again on the retry, with one call upstream", async () => {
    const port = await closedPort();
    const ctx = engineContext(
      testConfig({
        ...STANDIN_CLAID,
        CLAID_API_BASE_URL: `http://127.0.0.1:${port}`,
        CLAID_RETRY_CAP_MS: "4000",
        CLAID_MAX_RETRIES: "5",
      }),
    );
    const output = captureOutput();
    let revived: ClaidStandin | undefined;
    try {
      const pending = claidEngine.createScene(request, ctx);
      // Bring the upstream up as soon as the first attempt has been refused.
      while (!output.text().includes('"claid scene/create: connect"'))
        await new Promise((r) => setTimeout(r, 2));
      revived = await startClaidStandin({ apiKey: TEST_CLAID_KEY, port });
      const result = await pending;
      // Refused at least once, then answered: however long the restart took, one call reached the upstream.
      expect(result.timings.upstream_attempts).toBeGreaterThanOrEqual(2);
      expect(revived.callsTo(SCENE_PATH)).toHaveLength(1);
    } finally {
      output.restore();
      await revived?.close();
    }
  });
});
