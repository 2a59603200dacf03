import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { POST as editPost } from "@/app/api/image/edit/route";
import { POST as uploadPost } from "@/app/api/image/edit/upload/route";
import { storedImageUrl } from "@/lib/scene/image-ref";
import { createMember } from "@/lib/server/auth/members";
import { createToken } from "@/lib/server/auth/tokens";
import { getDatabase } from "@/lib/server/db/client";
import { user } from "@/lib/server/db/schema/auth";
import { generations as generationsTable } from "@/lib/server/db/schema/generations";
import { uploads } from "@/lib/server/db/schema/uploads";
import { generations } from "@/lib/server/generations";
import { objectStoreFor } from "@/lib/server/storage";
import {
  EDIT_PATH,
  SCENE_PATH,
  startClaidStandin,
  UPLOAD_PATH,
  type ClaidStandin,
} from "@/test/support/claid-standin";

import { boxOnWhiteJpeg } from "../engines/local/edit/harness";
import { STANDIN_CLAID, TEST_CLAID_KEY, testConfig } from "../support/config";

const ORIGIN = "http://127.0.0.1:3998";
let standin: ClaidStandin;
let member: { id: string; token: string };
let photoRef: string;

/** One configuration for the whole file, as a server has: generations run on a worker that keeps it. */
function env(overrides: Record<string, string> = {}) {
  return testConfig({
    ...STANDIN_CLAID,
    PORT: new URL(ORIGIN).port,
    CLAID_API_BASE_URL: standin.url,
    DEFAULT_ENGINE: "local",
    CLAID_TIMEOUT_MS: "5000",
    RATE_LIMIT_CLAID_PER_MINUTE: "10000",
    RATE_LIMIT_LOCAL_PER_MINUTE: "10000",
    RATE_LIMIT_UPLOADS_PER_MINUTE: "10000",
    DAILY_CLAID_IMAGE_BUDGET: "100000",
    CLAID_IMAGE_EDIT_UNITS: "2",
    ...overrides,
  });
}

async function newMember(budget?: number) {
  const { db } = await getDatabase(env());
  const { member: created } = await createMember(db, {
    email: `edit-${randomUUID()}@example.com`,
    name: "Edit client",
    role: "member",
  });
  if (budget !== undefined)
    await db.update(user).set({ dailyImageBudget: budget }).where(eq(user.id, created.id));
  const { token } = await createToken(db, { userId: created.id, name: "image edit tests" });
  return { id: created.id, token };
}

beforeAll(async () => {
  standin = await startClaidStandin({ apiKey: TEST_CLAID_KEY });
  const config = env();
  member = await newMember();
  const stored = await objectStoreFor(config.DATA_DIR).put(await boxOnWhiteJpeg(), "jpg");
  photoRef = storedImageUrl(stored.key);
}, 180_000);
afterAll(async () => {
  await standin.close();
});
beforeEach(() => {
  env();
});
afterEach(() => standin.reset());

function post(body: string, init: { query?: string; token?: string } = {}) {
  return editPost(
    new Request(`${ORIGIN}/v1/image/edit${init.query ?? ""}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${init.token ?? member.token}` },
      body,
    }),
  );
}

function upload(file: Blob | undefined, data: string | undefined, init: { query?: string } = {}) {
  const form = new FormData();
  if (file) form.set("file", file, "product.jpg");
  if (data !== undefined) form.set("data", data);
  return uploadPost(
    new Request(`${ORIGIN}/v1/image/edit/upload${init.query ?? ""}`, {
      method: "POST",
      headers: { authorization: `Bearer ${member.token}` },
      body: form,
    }),
  );
}

type Envelope = {
  data: {
    input: Record<string, unknown>;
    output: Record<string, unknown> & { tmp_url: string };
    generation_id?: string;
  };
};

async function errorOf(response: Response, status: number) {
  expect(response.status).toBe(status);
  const body = (await response.json()) as { error_code: string; error_details: Record<string, unknown> };
  return body;
}

describe("POST /v1/image/edit on the local engine", () => {
  it("answers Claid's envelope with one output object under our own URL, and records it in the gallery", async () => {
    const body = { input: photoRef, operations: { background: { remove: true, color: "transparent" } } };
    const response = await post(JSON.stringify(body));
    expect(response.status).toBe(200);
    const answer = (await response.json()) as Envelope;
    expect(answer.data.input).toEqual({
      ext: "jpg",
      mime: "image/jpeg",
      format: "JPEG",
      width: 400,
      height: 300,
      mps: 0.12,
    });
    expect(Array.isArray(answer.data.output)).toBe(false);
    expect(answer.data.output).toMatchObject({ ext: "png", mime: "image/png", width: 400, height: 300 });
    expect(answer.data.output.tmp_url.startsWith(`${ORIGIN}/api/files/`)).toBe(true);
    const id = answer.data.generation_id!;
    const generation = await generations.get(id);
    expect(generation).toMatchObject({
      kind: "image_edit",
      engine: "local",
      status: "succeeded",
      request: body,
    });
    expect(generation.outputs).toHaveLength(1);
    // Signed, like scene/create's: it opens without a session.
    expect(answer.data.output.tmp_url).toMatch(
      new RegExp(`^${ORIGIN}${generation.outputs[0]!.url}\\?expires=\\d+&signature=`),
    );
    expect(standin.calls).toHaveLength(0);
    const listed = await generations.list(
      { limit: 100, q: "remove background" },
      {
        userId: member.id,
        name: "Edit client",
        email: "x@example.com",
        role: "member",
        via: "token",
      },
    );
    expect(listed.items.map((g) => g.id)).toContain(id);
  });

  it("refuses unknown top-level keys and bad operations with 422 and their paths, running nothing", async () => {
    const extra = await errorOf(await post(JSON.stringify({ input: photoRef, operation: {} })), 422);
    expect(Object.keys(extra.error_details.fields as object)).toEqual(["operation"]);
    const bad = await errorOf(
      await post(
        JSON.stringify({
          input: photoRef,
          operations: {
            padding: "60%",
            background: { color: "red", remove: { category: "general", selective: { object_to_keep: "x" } } },
            resizing: { width: "auto", height: "auto" },
          },
        }),
      ),
      422,
    );
    expect(Object.keys(bad.error_details.fields as object).sort()).toEqual([
      "operations.background.color",
      "operations.background.remove.selective",
      "operations.padding",
      "operations.resizing.width",
    ]);
    expect(standin.calls).toHaveLength(0);
  });

  it("takes nothing and records nothing for an edit the local engine refuses from its body alone", async () => {
    env({ RATE_LIMIT_LOCAL_PER_MINUTE: "1" });
    const person = await newMember();
    const refused: [unknown, string][] = [
      [
        { input: photoRef, operations: { restorations: { upscale: "smart_enhance" } } },
        "unsupported_operation",
      ],
      [
        {
          input: photoRef,
          operations: { background: { remove: { selective: { object_to_keep: "the mug" } } } },
        },
        "unsupported_operation",
      ],
      [
        { input: photoRef, operations: { resizing: { width: 50, fit: "outpaint" } } },
        "unsupported_operation",
      ],
      [
        { input: photoRef, operations: { background: { color: "transparent" } }, output: { format: "jpeg" } },
        "transparent_needs_alpha_format",
      ],
      [{ input: photoRef, output: { destination: "s3://bucket/folder/" } }, "unsupported_destination"],
    ];
    for (const [body, code] of refused) {
      const answer = await errorOf(await post(JSON.stringify(body), { token: person.token }), 422);
      expect(answer.error_code, JSON.stringify(body)).toBe(code);
      // Refused before anything was recorded: no generation to point at.
      expect(answer.error_details).not.toHaveProperty("generation_id");
    }
    const { db } = await getDatabase(env({ RATE_LIMIT_LOCAL_PER_MINUTE: "1" }));
    expect(await db.select().from(generationsTable).where(eq(generationsTable.createdBy, person.id))).toEqual(
      [],
    );
    // The one edit a minute is still there, and only one.
    const body = JSON.stringify({ input: photoRef, operations: { padding: "10%" } });
    expect((await post(body, { token: person.token })).status).toBe(200);
    expect((await post(body, { token: person.token })).status).toBe(429);
  });

  it("answers a Claid-only operation with a 422 that names it and offers Claid", async () => {
    const answer = await errorOf(
      await post(
        JSON.stringify({ input: photoRef, operations: { restorations: { upscale: "smart_enhance" } } }),
      ),
      422,
    );
    expect(answer).toMatchObject({
      error_code: "unsupported_operation",
      error_details: {
        fields: { "operations.restorations": [expect.any(String)] },
        alternative_engine: "claid",
      },
    });
  });
});

describe("POST /v1/image/edit on the claid engine", () => {
  it("forwards the body byte for byte: field order, unknown operations and all", async () => {
    // Keys in an order of our own and an operation our schemas do not describe.
    const text = JSON.stringify({
      output: { format: { type: "jpeg", quality: 88 }, metadata: { dpi: 300 } },
      operations: {
        restorations: { upscale: "smart_enhance" },
        resizing: { fit: "bounds", width: 640 },
        generative: { style_transfer: { prompt: "studio" } },
      },
      input: "https://images.example.com/shoe.jpg",
    });
    const response = await post(text, { query: "?engine=claid" });
    expect(response.status).toBe(200);
    const [call] = standin.callsTo(EDIT_PATH);
    expect(call?.raw?.toString("utf8")).toBe(text);
    const answer = (await response.json()) as Envelope;
    expect(answer.data.output.tmp_url.startsWith(`${ORIGIN}/api/files/`)).toBe(true);
    expect(answer.data.output.tmp_url).not.toContain(standin.url);
    expect(answer.data.output).toMatchObject({ ext: "jpg", width: 640 });
  });

  it("replaces only an input held here, with the URL Claid's upload gave it", async () => {
    const text = JSON.stringify({
      operations: { background: { remove: true } },
      input: photoRef,
      output: { format: "png" },
    });
    const response = await post(text, { query: "?engine=claid" });
    expect(response.status).toBe(200);
    const [uploadCall] = standin.callsTo(UPLOAD_PATH);
    expect(uploadCall).toBeDefined();
    const [editCall] = standin.callsTo(EDIT_PATH);
    const sent = JSON.parse(editCall!.raw!.toString("utf8")) as Record<string, unknown>;
    expect(Object.keys(sent)).toEqual(["operations", "input", "output"]);
    expect(sent.input).toMatch(new RegExp(`^${standin.url}/files/`));
    expect(editCall!.raw!.toString("utf8")).toBe(JSON.stringify({ ...JSON.parse(text), input: sent.input }));
  });

  it("passes an upstream refusal through with its status and body", async () => {
    standin.setMode({ kind: "status", status: 402, on: "edit" });
    const answer = await errorOf(
      await post(JSON.stringify({ input: "https://images.example.com/a.jpg", operations: {} }), {
        query: "?engine=claid",
      }),
      402,
    );
    expect(answer.error_code).toBe("no_api_calls_left");
  });

  it("takes CLAID_IMAGE_EDIT_UNITS of the daily budget per call, and refuses with 402 before calling", async () => {
    const frugal = await newMember(3);
    const body = JSON.stringify({
      input: "https://images.example.com/a.jpg",
      operations: { padding: "10%" },
    });
    expect((await post(body, { query: "?engine=claid", token: frugal.token })).status).toBe(200);
    // Two units taken of three: a second edit would need four.
    const refused = await errorOf(await post(body, { query: "?engine=claid", token: frugal.token }), 402);
    expect(refused).toMatchObject({
      error_code: "daily_budget_exceeded",
      error_details: { used: 2, requested: 2, limit: 3 },
    });
    expect(standin.callsTo(EDIT_PATH)).toHaveLength(1);
    // Drafts cost nothing.
    const draft = JSON.stringify({ input: photoRef, operations: { padding: "10%" } });
    expect((await post(draft, { query: "?engine=local", token: frugal.token })).status).toBe(200);
  });
});

describe("POST /v1/image/edit/upload", () => {
  const jpeg = async () => new Blob([new Uint8Array(await boxOnWhiteJpeg())], { type: "image/jpeg" });

  it("stores the file as an upload and answers Claid's upload envelope with a backdrop:// reference", async () => {
    const before = (await (await getDatabase(env())).db.select().from(generationsTable)).length;
    const response = await upload(await jpeg(), JSON.stringify({ operations: {} }));
    expect(response.status).toBe(200);
    const answer = (await response.json()) as Envelope;
    const key = String(answer.data.output.object_key);
    expect(answer.data.output).toMatchObject({
      tmp_url: expect.stringMatching(new RegExp(`^${ORIGIN}/api/files/${key}\\?expires=\\d+&signature=`)),
      object_uri: `backdrop://files/${key}`,
      claid_storage_uri: `backdrop://files/${key}`,
      object_bucket: "backdrop",
      width: 400,
      height: 300,
    });
    expect(answer.data.input).toMatchObject({ format: "JPEG", width: 400, height: 300 });
    const { db } = await getDatabase(env());
    expect(await db.select().from(uploads).where(eq(uploads.key, key))).toHaveLength(1);
    // Nothing to do: no generation recorded, nothing billed.
    expect((await db.select().from(generationsTable)).length).toBe(before);
  });

  it("applies data's operations like image/edit and keeps the result as an upload of its own", async () => {
    const data = JSON.stringify({ operations: { background: { remove: true, color: "transparent" } } });
    const response = await upload(await jpeg(), data);
    expect(response.status).toBe(200);
    const answer = (await response.json()) as Envelope;
    const key = String(answer.data.output.object_key);
    expect(answer.data.output).toMatchObject({ ext: "png", object_uri: `backdrop://files/${key}` });
    const generation = await generations.get(answer.data.generation_id!);
    expect(generation.kind).toBe("image_edit");
    expect(generation.request).toMatchObject({
      input: expect.stringMatching(/^backdrop:\/\/files\//),
      ...JSON.parse(data),
    });
    const { db } = await getDatabase(env());
    const [kept] = await db.select().from(uploads).where(eq(uploads.key, key));
    expect(kept).toMatchObject({ hasAlpha: true, generationId: generation.id });
    expect(`backdrop://files/${kept!.derivedFrom}`).toBe((generation.request as { input: string }).input);
    const stored = await objectStoreFor(env().DATA_DIR).get(key);
    expect((await sharp(stored!).metadata()).hasAlpha).toBe(true);
  });

  it("refuses bad data, missing files and other bodies plainly", async () => {
    const notJson = await errorOf(await upload(await jpeg(), "{ nope"), 422);
    expect(notJson.error_details).toMatchObject({ fields: { data: [expect.stringMatching(/JSON/)] } });
    const badOperation = await errorOf(
      await upload(await jpeg(), JSON.stringify({ operations: { padding: "x" } })),
      422,
    );
    expect(Object.keys(badOperation.error_details.fields as object)).toEqual(["data.operations.padding"]);
    const withInput = await errorOf(
      await upload(await jpeg(), JSON.stringify({ input: "https://x.example/a.png" })),
      422,
    );
    expect(Object.keys(withInput.error_details.fields as object)).toEqual(["data.input"]);
    const noFile = await errorOf(await upload(undefined, JSON.stringify({ operations: {} })), 422);
    expect(noFile.error_code).toBe("file_missing");
    const json = await uploadPost(
      new Request(`${ORIGIN}/v1/image/edit/upload`, {
        method: "POST",
        headers: { authorization: `Bearer ${member.token}`, "content-type": "application/json" },
        body: "{}",
      }),
    );
    expect((await errorOf(json, 415)).error_code).toBe("unsupported_media_type");
  });

  it("sends the edit of an upload to Claid when asked", async () => {
    const data = JSON.stringify({ operations: { background: { remove: true } } });
    const response = await upload(await jpeg(), data, { query: "?engine=claid" });
    expect(response.status).toBe(200);
    expect(standin.callsTo(UPLOAD_PATH)).toHaveLength(1);
    expect(standin.callsTo(EDIT_PATH)).toHaveLength(1);
    expect(standin.callsTo(SCENE_PATH)).toHaveLength(0);
  });
});
