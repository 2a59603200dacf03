import { beforeAll, describe, expect, it } from "vitest";

import { POST } from "@/app/api/scene/create/route";
import type { Principal } from "@/lib/server/auth/principal";
import { ApiError } from "@/lib/server/errors";
import { reserveGeneration } from "@/lib/server/limits/reserve";

import { DB_SETUP_TIMEOUT, ORIGIN, seedUsers, testDb, type TestUser } from "../auth/support";
import { testConfig } from "../support/config";

let member: TestUser;
let viewer: TestUser;
let admin: TestUser;

beforeAll(async () => {
  const config = testConfig();
  ({ member, viewer, admin } = await seedUsers(config, await testDb(config), "rate"));
}, DB_SETUP_TIMEOUT);

const as = (user: TestUser): Principal => ({
  userId: user.id,
  name: "n",
  email: user.email,
  role: user.role,
  via: "token",
});

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("per-person rate limits", () => {
  it("answers 429 with RateLimit-* and Retry-After once a person's claid allowance is spent", async () => {
    const config = testConfig({
      RATE_LIMIT_CLAID_PER_MINUTE: "3",
      DAILY_CLAID_IMAGE_BUDGET: "100",
      CLAID_API_KEY: "k-test-rate",
    });
    for (let i = 0; i < 3; i++) await reserveGeneration(as(member), "claid", 1, config);
    const refused = await rejection(reserveGeneration(as(member), "claid", 1, config));
    expect(refused.status).toBe(429);
    expect(refused.toBody()).toMatchObject({ error_code: "rate_limited", error_type: "general" });
    expect(refused.headers["RateLimit-Limit"]).toBe("3");
    expect(refused.headers["RateLimit-Remaining"]).toBe("0");
    const reset = Number(refused.headers["RateLimit-Reset"]);
    expect(reset).toBeGreaterThanOrEqual(1);
    expect(reset).toBeLessThanOrEqual(60);
    expect(refused.headers["Retry-After"]).toBe(String(reset));

    // Another person, and the same person's drafts, have allowances of their own.
    await expect(reserveGeneration(as(viewer), "claid", 1, config)).resolves.toBeDefined();
    await expect(reserveGeneration(as(member), "local", 1, config)).resolves.toBeDefined();
  });

  it("gives drafts their own, higher limit", async () => {
    const config = testConfig({ RATE_LIMIT_CLAID_PER_MINUTE: "2", RATE_LIMIT_LOCAL_PER_MINUTE: "5" });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => reserveGeneration(as(viewer), "local", 4, config)),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ status: 429 });
  });

  it("reaches the client as a 429 in the error envelope with the headers", async () => {
    const config = testConfig({ RATE_LIMIT_LOCAL_PER_MINUTE: "1" });
    const body = JSON.stringify({
      object: { image_url: "https://images.example.com/product.png" },
      scene: { prompt: "on a marble table", aspect_ratio: "1:1" },
      output: { number_of_images: 1, format: "png" },
    });
    const send = () =>
      POST(
        new Request(`${ORIGIN}/api/scene/create?engine=local`, {
          method: "POST",
          headers: { authorization: `Bearer ${member.token}`, "content-type": "application/json" },
          body,
        }),
      );
    await reserveGeneration(as(member), "local", 1, config);
    const response = await send();
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(response.headers.get("ratelimit-limit")).toBe("1");
    expect(await response.json()).toMatchObject({ error_code: "rate_limited" });
  });

  it("takes nothing and records nothing for a body the engine refuses from the request alone", async () => {
    const config = testConfig({ RATE_LIMIT_LOCAL_PER_MINUTE: "1" });
    const object = { image_url: "https://images.example.com/product.png" };
    const refusedBodies = [
      { object, scene: { effect: "shadows" }, output: { destination: "s3://bucket/folder/" } },
      { object, scene: { prompt: "on a marble table", color: "teal" } },
      { object, scene: { effect: "shadows", color: "transparent" }, output: { format: "jpeg" } },
    ];
    for (const body of refusedBodies) {
      const response = await POST(
        new Request(`${ORIGIN}/api/scene/create?engine=local`, {
          method: "POST",
          headers: { authorization: `Bearer ${admin.token}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
      );
      expect(response.status, JSON.stringify(body)).toBe(422);
      // Refused before anything was recorded: no generation to point at.
      expect((await response.json()).error_details).not.toHaveProperty("generation_id");
    }
    // The one render a minute is still there, and only one.
    await expect(reserveGeneration(as(admin), "local", 1, config)).resolves.toBeDefined();
    expect(await rejection(reserveGeneration(as(admin), "local", 1, config))).toMatchObject({ status: 429 });
  });
});
