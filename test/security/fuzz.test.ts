// Property-based fuzzing of the endpoint bodies: whatever arrives, the answer is never a 5xx.
import fc from "fast-check";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";

import { POST as createMember } from "@/app/api/members/route";
import { POST as sceneCreate } from "@/app/api/scene/create/route";
import { POST as createToken } from "@/app/api/tokens/route";
import { storedImageUrl } from "@/lib/scene/image-ref";
import type { Config } from "@/lib/server/config";
import { objectStoreFor } from "@/lib/server/storage";

import { DB_SETUP_TIMEOUT, ORIGIN, seedUsers, testDb, type TestUser } from "../auth/support";
import { sceneCreateBody } from "../scene/contract/arbitraries";
import { testConfig } from "../support/config";

let config: Config;
let member: TestUser;
let admin: TestUser;
let product: string;
const statuses = new Map<number, number>();

beforeAll(async () => {
  // Valid bodies render on the local engine; its own rate limit keeps the number of renders small.
  config = testConfig({ DEFAULT_ENGINE: "local", RATE_LIMIT_LOCAL_PER_MINUTE: "25" });
  ({ member, admin } = await seedUsers(config, await testDb(config), "fuzz"));
  const png = await sharp({
    create: { width: 8, height: 8, channels: 4, background: { r: 200, g: 40, b: 40, alpha: 1 } },
  })
    .png()
    .toBuffer();
  product = storedImageUrl((await objectStoreFor(config.DATA_DIR).put(png, "png")).key);
}, DB_SETUP_TIMEOUT);

/** Image references that would leave the machine point at the tiny stored image instead. */
function local(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(local);
  if (body === null || typeof body !== "object") return body;
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => [
      key,
      (key === "image_url" || key === "template_url") && typeof value === "string" && URL.canParse(value)
        ? product
        : local(value),
    ]),
  );
}

async function send(
  handler: (r: Request) => Promise<Response>,
  path: string,
  body: string,
  token: string,
  contentType = "application/json",
) {
  const response = await handler(
    new Request(`${ORIGIN}${path}`, {
      method: "POST",
      headers: { "content-type": contentType, authorization: `Bearer ${token}` },
      body,
    }),
  );
  statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
  const text = await response.text();
  if (response.status >= 400) {
    const error = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(error).sort()).toEqual(["error_code", "error_details", "error_message", "error_type"]);
  }
  return response.status;
}

const FUZZ_TIMEOUT = 600_000;
const anyJson = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v));
const rawText = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: "binary", maxLength: 200 }));

describe("POST /v1/scene/create under fuzzing", () => {
  it(
    "answers arbitrary JSON and arbitrary text with a 4xx, never a 5xx",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof({ weight: 3, arbitrary: anyJson }, { weight: 1, arbitrary: rawText }),
          async (body) => {
            const status = await send(sceneCreate, "/v1/scene/create?engine=local", body, member.token);
            expect(status).toBeGreaterThanOrEqual(400);
            expect(status).toBeLessThan(500);
          },
        ),
        { numRuns: 500 },
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    "answers valid and near-valid bodies without a 5xx",
    async () => {
      await fc.assert(
        fc.asyncProperty(sceneCreateBody, async (body) => {
          const status = await send(
            sceneCreate,
            "/v1/scene/create?engine=local",
            JSON.stringify(local(body)),
            member.token,
          );
          expect(status).toBeLessThan(500);
        }),
        { numRuns: 600 },
      );
      // Both halves were exercised: some bodies rendered, some were refused as invalid.
      expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
      expect(statuses.get(422) ?? 0).toBeGreaterThan(0);
    },
    FUZZ_TIMEOUT,
  );
});

describe("account endpoints under fuzzing", () => {
  it(
    "answer arbitrary JSON bodies without a 5xx",
    async () => {
      const memberShaped = fc.record(
        {
          email: fc.oneof(fc.emailAddress(), fc.string()),
          name: fc.string(),
          role: fc.string(),
          password: fc.string(),
        },
        { requiredKeys: [] },
      );
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            anyJson,
            memberShaped.map((v) => JSON.stringify(v)),
          ),
          async (body) => {
            expect(await send(createMember, "/api/members", body, admin.token)).toBeLessThan(500);
            expect(await send(createToken, "/api/tokens", body, member.token)).toBeLessThan(500);
          },
        ),
        { numRuns: 150 },
      );
    },
    FUZZ_TIMEOUT,
  );
});
