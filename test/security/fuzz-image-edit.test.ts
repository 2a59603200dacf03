// Property-based fuzzing of the image-edit endpoints: whatever arrives, the answer is never a 5xx.
import fc from "fast-check";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";

import { POST as imageEdit } from "@/app/api/image/edit/route";
import { POST as editUpload } from "@/app/api/image/edit/upload/route";
import { storedImageUrl } from "@/lib/scene/image-ref";
import { isStorableText, UNSTORABLE_MESSAGE } from "@/lib/scene/storable";
import type { Config } from "@/lib/server/config";
import { objectStoreFor } from "@/lib/server/storage";

import { DB_SETUP_TIMEOUT, ORIGIN, seedUsers, testDb, type TestUser } from "../auth/support";
import { testConfig } from "../support/config";

let config: Config;
let member: TestUser;
let product: string;
let png: Buffer;
const statuses = new Map<number, number>();

beforeAll(async () => {
  config = testConfig({
    DEFAULT_ENGINE: "local",
    RATE_LIMIT_LOCAL_PER_MINUTE: "100000",
    RATE_LIMIT_UPLOADS_PER_MINUTE: "100000",
  });
  ({ member } = await seedUsers(config, await testDb(config), "fuzz-edit"));
  png = await sharp({
    create: { width: 24, height: 16, channels: 4, background: { r: 200, g: 40, b: 40, alpha: 1 } },
  })
    .png()
    .toBuffer();
  product = storedImageUrl((await objectStoreFor(config.DATA_DIR).put(png, "png")).key);
}, DB_SETUP_TIMEOUT);

async function answered(response: Response): Promise<number> {
  statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
  const text = await response.text();
  if (response.status >= 400) {
    const error = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(error).sort()).toEqual(["error_code", "error_details", "error_message", "error_type"]);
  }
  return response.status;
}

function edit(body: string) {
  return imageEdit(
    new Request(`${ORIGIN}/v1/image/edit?engine=local`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${member.token}` },
      body,
    }),
  ).then(answered);
}

const FUZZ_TIMEOUT = 600_000;
// Text PostgreSQL cannot store (a NUL, a lone surrogate) is rare in random strings: offered outright.
const unstorable = fc.constantFrom("\u0000", "\uD800", "x\u0000y", "\uDFFF!");
const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: "binary", maxLength: 40 }), unstorable);
const anything = fc.jsonValue({ maxDepth: 3 });
const length = fc.oneof(
  fc.integer({ min: 0, max: 80 }).map((n) => `${n}%`),
  fc.integer({ min: 0, max: 40 }).map((n) => `${n}px`),
  fc.integer({ min: 0, max: 60 }).map(String),
);

/** Bodies shaped like edits, valid or nearly: every documented field, and unknown ones of any text. */
const editBody = fc.record(
  {
    input: fc.oneof({ weight: 4, arbitrary: fc.constant("PRODUCT") }, { weight: 1, arbitrary: text }),
    operations: fc.record(
      {
        background: fc.record(
          {
            remove: fc.oneof(
              fc.boolean(),
              fc.record(
                {
                  category: fc.oneof(fc.constantFrom("general", "products", "cars"), text),
                  clipping: fc.oneof(fc.boolean(), anything),
                  selective: anything,
                },
                { requiredKeys: [] },
              ),
            ),
            color: fc.oneof(fc.constantFrom("transparent", "#fff", "#00ff00"), text),
          },
          { requiredKeys: [] },
        ),
        padding: fc.oneof(
          fc.array(length, { minLength: 1, maxLength: 5 }).map((parts) => parts.join(" ")),
          text,
          anything,
        ),
        resizing: fc.record(
          {
            width: fc.oneof(fc.integer({ min: -5, max: 64 }), fc.constantFrom("auto", "50%", "200%"), text),
            height: fc.oneof(fc.integer({ min: -5, max: 64 }), fc.constantFrom("auto", "50%"), text),
            fit: fc.oneof(fc.constantFrom("crop", "bounds", "cover", "canvas", "outpaint"), anything),
          },
          { requiredKeys: [] },
        ),
        restorations: anything,
        extra: fc.dictionary(text, anything, { maxKeys: 2 }),
      },
      { requiredKeys: [] },
    ),
    output: fc.oneof(
      fc.constantFrom("png", "storage://nowhere/x/"),
      fc.record(
        {
          format: fc.oneof(fc.constantFrom("png", "jpeg", "webp", "avif", "tiff"), anything),
          destination: text,
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: ["input"] },
);

describe("POST /v1/image/edit under fuzzing", () => {
  it(
    "answers arbitrary JSON and arbitrary text with a 4xx, never a 5xx",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            { weight: 3, arbitrary: anything.map((v) => JSON.stringify(v)) },
            { weight: 1, arbitrary: text },
          ),
          async (body) => {
            const status = await edit(body);
            expect(status).toBeGreaterThanOrEqual(400);
            expect(status).toBeLessThan(500);
          },
        ),
        // Fields named like Object.prototype's own: an error listing them must still be plain JSON.
        { numRuns: 300, examples: [['{"toString":null}'], ['{"__proto__":1,"constructor":2}']] },
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    "answers edit-shaped bodies, unknown fields of any text among them, without a 5xx",
    async () => {
      await fc.assert(
        fc.asyncProperty(editBody, async (body) => {
          const json = JSON.stringify(body).replaceAll('"PRODUCT"', JSON.stringify(product));
          expect(await edit(json)).toBeLessThan(500);
        }),
        { numRuns: 400 },
      );
      // Both halves were exercised: some edits ran, some were refused.
      expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
      expect(statuses.get(422) ?? 0).toBeGreaterThan(0);
    },
    FUZZ_TIMEOUT,
  );
});

/** Where a field the schemas pass on unread may sit in an otherwise valid edit. */
const passedOn: ((planted: unknown, key: string) => { body: Record<string, unknown>; path: string[] })[] = [
  (planted, key) => ({
    body: { input: "PRODUCT", operations: { padding: "10%", [key]: planted } },
    path: ["operations", key],
  }),
  (planted, key) => ({
    body: {
      input: "PRODUCT",
      operations: { background: { remove: { category: "products", [key]: planted } } },
    },
    path: ["operations", "background", "remove", key],
  }),
  (planted, key) => ({
    body: { input: "PRODUCT", operations: { resizing: { width: 20, fit: { [key]: planted } } } },
    path: ["operations", "resizing", "fit", key],
  }),
  (planted, key) => ({
    body: { input: "PRODUCT", output: { format: "png", metadata: { [key]: planted } } },
    path: ["output", "metadata", key],
  }),
];

/** A key or a string PostgreSQL cannot hold, planted in a passed-on field; the path it should be named by. */
const plantedBody = fc
  .record({
    place: fc.constantFrom(...passedOn),
    key: fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), unstorable),
    value: fc.oneof(unstorable, fc.array(unstorable, { minLength: 1, maxLength: 2 }), fc.constant("fine")),
  })
  .filter(({ key, value }) => !isStorableText(key) || typeof value !== "string" || !isStorableText(value))
  .map(({ place, key, value }) => place(value, key));

describe("passed-on fields PostgreSQL cannot hold", () => {
  it(
    "are a 422 naming the field, never a 5xx from the database",
    async () => {
      await fc.assert(
        fc.asyncProperty(plantedBody, async ({ body, path }) => {
          const response = await imageEdit(
            new Request(`${ORIGIN}/v1/image/edit?engine=local`, {
              method: "POST",
              headers: { "content-type": "application/json", authorization: `Bearer ${member.token}` },
              body: JSON.stringify(body).replaceAll('"PRODUCT"', JSON.stringify(product)),
            }),
          );
          expect(response.status).toBe(422);
          const error = (await response.json()) as { error_details: { fields: Record<string, string[]> } };
          const named = Object.entries(error.error_details.fields).filter(([field]) =>
            field.startsWith(path.join(".")),
          );
          expect(named.flatMap(([, messages]) => messages)).toContain(UNSTORABLE_MESSAGE);
        }),
        { numRuns: 120 },
      );
    },
    FUZZ_TIMEOUT,
  );
});

describe("POST /v1/image/edit/upload under fuzzing", () => {
  it(
    "answers any data field without a 5xx",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            text,
            anything.map((v) => JSON.stringify(v)),
          ),
          async (data) => {
            const form = new FormData();
            form.set("file", new Blob([new Uint8Array(png)], { type: "image/png" }), "p.png");
            form.set("data", data);
            const status = await editUpload(
              new Request(`${ORIGIN}/v1/image/edit/upload?engine=local`, {
                method: "POST",
                headers: { authorization: `Bearer ${member.token}` },
                body: form,
              }),
            ).then(answered);
            expect(status).toBeLessThan(500);
          },
        ),
        { numRuns: 150 },
      );
    },
    FUZZ_TIMEOUT,
  );
});
