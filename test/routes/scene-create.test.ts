import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { POST } from "@/app/api/scene/create/route";
import { storedImageUrl } from "@/lib/scene/image-ref";
import { objectStoreFor } from "@/lib/server/storage";
import { SCENE_PATH, startClaidStandin, UPLOAD_PATH, type ClaidStandin } from "@/test/support/claid-standin";

import { captureOutput, productPng, promptBody } from "../engines/claid/support";
import { STANDIN_CLAID, TEST_CLAID_KEY, testConfig } from "../support/config";
import { memberToken } from "../support/member-token";
import { SEED_CURL_BODY as CURL_EXAMPLE } from "../support/seed-curl-body";

const ORIGIN = "http://127.0.0.1:3999";
let standin: ClaidStandin;
let token: string;
let productRef: string;

/**
 * One configuration for the whole file: generations run on a worker that keeps the configuration it
 * started with, as a server does. Only what the route itself reads (the default engine) varies.
 */
function env(overrides: Record<string, string> = {}) {
  return testConfig({
    ...STANDIN_CLAID,
    // The server these requests are addressed to listens on ORIGIN's port.
    PORT: new URL(ORIGIN).port,
    CLAID_API_BASE_URL: standin.url,
    DEFAULT_ENGINE: "claid",
    CLAID_TIMEOUT_MS: "3000",
    // This file is not about our own limits: keep them out of the way of the upstream's answers.
    RATE_LIMIT_CLAID_PER_MINUTE: "10000",
    DAILY_CLAID_IMAGE_BUDGET: "100000",
    ...overrides,
  });
}

beforeAll(async () => {
  standin = await startClaidStandin({ apiKey: TEST_CLAID_KEY });
  // The stand-in's first answer compiles the schema and starts the image encoder; keep that out of the
  // upstream time-out the tests run with.
  await fetch(`${standin.url}/v1/scene/create`, {
    method: "POST",
    headers: { authorization: `Bearer ${TEST_CLAID_KEY}`, "content-type": "application/json" },
    body: JSON.stringify(promptBody),
  }).then((r) => r.arrayBuffer());
  standin.reset();
  const config = env();
  token = await memberToken(config);
  const stored = await objectStoreFor(config.DATA_DIR).put(await productPng(7), "png");
  productRef = storedImageUrl(stored.key);
  // Opening the database (migrations) and hashing the member's password take a while on a busy machine.
}, 180_000);
afterAll(async () => {
  await standin.close();
});
beforeEach(() => {
  env();
});
afterEach(() => standin.reset());

function post(body: string, init: { query?: string; headers?: Record<string, string> } = {}) {
  return POST(
    new Request(`${ORIGIN}/v1/scene/create${init.query ?? ""}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...init.headers },
      body,
    }),
  );
}

type ErrorBody = {
  error_code: string;
  error_type: string;
  error_message: string;
  error_details: Record<string, unknown>;
};

async function errorOf(response: Response, status: number): Promise<ErrorBody> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body = (await response.json()) as ErrorBody;
  expect(Object.keys(body).sort()).toEqual(["error_code", "error_details", "error_message", "error_type"]);
  return body;
}

describe("POST /v1/scene/create: bad requests", () => {
  it("answers 400 for a body that is not JSON", async () => {
    const body = await errorOf(await post("{ not json"), 400);
    expect(body.error_code).toBe("bad_json");
  });

  it("answers 413 for a body over 1 MiB", async () => {
    const big = JSON.stringify({ ...promptBody, padding: "x".repeat(1024 * 1024) });
    const body = await errorOf(await post(big), 413);
    expect(body.error_details).toMatchObject({ limit_bytes: 1024 * 1024 });
  });

  it("answers 415 for another content type", async () => {
    const body = await errorOf(
      await post(JSON.stringify(promptBody), { headers: { "content-type": "text/plain" } }),
      415,
    );
    expect(body.error_code).toBe("unsupported_media_type");
  });

  it("answers 422 with the paths of the wrong fields, without calling the upstream", async () => {
    const wrong = { ...promptBody, object: { ...promptBody.object, scale: 2, position: { x: 1.5 } } };
    const body = await errorOf(await post(JSON.stringify(wrong)), 422);
    expect(Object.keys(body.error_details.fields as object)).toEqual(
      expect.arrayContaining(["object.scale", "object.position.x"]),
    );
    expect(standin.calls).toHaveLength(0);
  });

  it("answers 422 for an unknown engine", async () => {
    const body = await errorOf(await post(JSON.stringify(promptBody), { query: "?engine=dalle" }), 422);
    expect(body.error_details).toMatchObject({ fields: { engine: [expect.any(String)] } });
  });
});

describe("POST /v1/scene/create on the claid engine", () => {
  it("answers the API reference's cURL example with Claid's envelope and our own stable URLs", async () => {
    const response = await post(CURL_EXAMPLE);
    expect(response.status).toBe(200);
    const answer = (await response.json()) as {
      data: { input: Record<string, unknown>; output: { tmp_url: string; width: number; format: string }[] };
    };
    expect(answer.data.input).toMatchObject({ ext: "png", width: expect.any(Number) });
    expect(answer.data.output).toHaveLength(1);
    const [output] = answer.data.output;
    expect(output?.tmp_url.startsWith(`${ORIGIN}/api/files/`)).toBe(true);
    expect(output?.tmp_url).not.toContain(standin.url);
    expect(standin.callsTo(SCENE_PATH)).toHaveLength(1);
    expect(standin.callsTo(SCENE_PATH)[0]?.body).toEqual(JSON.parse(CURL_EXAMPLE));
  });

  it("passes an upstream 402 through with its body", async () => {
    standin.setMode({ kind: "status", status: 402 });
    const body = await errorOf(await post(JSON.stringify(promptBody)), 402);
    expect(body).toMatchObject({ error_code: "no_api_calls_left", error_type: "billing" });
    expect(body.error_details).toMatchObject({ upstream_request_id: expect.stringMatching(/^standin-/) });
  });

  it("passes a wrapped 429 through unwrapped, with the rate-limit headers, after the allowed retries", async () => {
    standin.setMode({ kind: "status", status: 429, wrapped: true, resetSeconds: 0 });
    const response = await post(JSON.stringify(promptBody));
    const body = await errorOf(response, 429);
    expect(body.error_code).toBe("too_many_requests");
    expect(body.error_details).not.toHaveProperty("detail");
    expect(response.headers.get("ratelimit-reset")).toBe("0");
    expect(response.headers.get("ratelimit-limit")).toMatch(/^\d+$/);
    expect(response.headers.get("retry-after")).toBe("0");
    expect(standin.callsTo(SCENE_PATH)).toHaveLength(3);
  });

  it("answers 504 when the upstream is too slow, after one call", async () => {
    standin.setMode({ kind: "slow", delayMs: 6000 });
    await errorOf(await post(JSON.stringify(promptBody)), 504);
    expect(standin.callsTo(SCENE_PATH)).toHaveLength(1);
  });
});

describe("POST /v1/scene/create: engine choice", () => {
  // An image held here, which both engines can read (the local one cannot fetch the internet).
  const body = () => JSON.stringify({ ...promptBody, object: { image_url: productRef } });

  beforeEach(() => {
    env({ DEFAULT_ENGINE: "local" });
  });

  it("uses the claid engine when ?engine=claid asks for it", async () => {
    const response = await post(body(), { query: "?engine=claid" });
    expect(response.status).toBe(200);
    expect(standin.callsTo(SCENE_PATH)).toHaveLength(1);
    expect(standin.callsTo(UPLOAD_PATH).length).toBeLessThanOrEqual(1);
  });

  it("uses the claid engine when X-Backdrop-Engine asks for it", async () => {
    const response = await post(body(), { headers: { "x-backdrop-engine": "claid" } });
    expect(response.status).toBe(200);
    expect(standin.callsTo(SCENE_PATH)).toHaveLength(1);
    expect(standin.callsTo(UPLOAD_PATH).length).toBeLessThanOrEqual(1);
  });

  it("lets the query win over the header", async () => {
    const response = await post(body(), {
      query: "?engine=local",
      headers: { "x-backdrop-engine": "claid" },
    });
    expect(response.status).toBe(200);
    expect(standin.calls).toHaveLength(0);
  });

  it("uses the configured default otherwise", async () => {
    const response = await post(body());
    expect(response.status).toBe(200);
    expect(standin.calls).toHaveLength(0);
  });
});

describe("the Claid key stays secret", () => {
  it("never appears in an answer, a header or a log line, whatever the outcome", async () => {
    const output = captureOutput();
    const seen: string[] = [];
    try {
      const modes = [
        "ok",
        { kind: "status", status: 401 },
        { kind: "status", status: 422 },
        { kind: "status", status: 429, resetSeconds: 0 },
        { kind: "status", status: 500 },
        { kind: "drop", when: "after-body" },
        { kind: "slow", delayMs: 6000 },
      ] as const;
      for (const mode of modes) {
        standin.setMode(mode);
        const response = await post(CURL_EXAMPLE, { headers: { "x-backdrop-engine": "claid" } });
        seen.push(`${response.status} ${JSON.stringify([...response.headers])} ${await response.text()}`);
      }
    } finally {
      output.restore();
    }
    expect(seen.map((s) => s.slice(0, 3))).toEqual(["200", "401", "422", "429", "502", "502", "504"]);
    // The key did travel: the stand-in received it on every call.
    expect(standin.calls.filter((c) => c.method === "POST").every((c) => c.authorized)).toBe(true);
    expect(output.lines.length).toBeGreaterThan(5);
    for (const text of [...seen, output.text()]) {
      expect(text).not.toContain(TEST_CLAID_KEY);
      expect(text).not.toContain(TEST_CLAID_KEY.slice(-12));
    }
  });
});
