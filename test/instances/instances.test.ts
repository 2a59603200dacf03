// Two `next start` instances on one PostgreSQL and one S3-compatible bucket, as behind a load
// balancer: the queue, event streams, files, token revocation, budgets and rate limits, sessions and
// crash recovery all work across them. Needs a build (`npx next build`; `npm test` makes one).
import { spawnSync } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startClaidStandin, type ClaidStandin } from "@/test/support/claid-standin";

import { eventually } from "../generations/support";
import { TEST_AUTH_SECRET, TEST_CLAID_KEY } from "../support/config";
import { adminToken, startNext, type NextServer } from "../support/next-start";
import { freshPostgres, type TestPostgres } from "../support/postgres";
import { productPng } from "../support/product-images";
import { testBucket, type TestBucket } from "../support/s3";

const LEASE_MS = 2000;
const BUDGET = 4;
const LOCAL_PER_MINUTE = 5;
/** Better Auth's rule for password sign-ins from one address (lib/server/auth/better-auth.ts). */
const SIGN_INS_PER_MINUTE = 20;
/** Long on purpose: a revoked token that stops working sooner was stopped by the other instance's signal. */
const TOKEN_CACHE_SECONDS = 60;

type Row = { id: string; status: string; worker_id: string | null; note: string | null };

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

function draft(prompt: string, images = 1, imageUrl = "https://images.example.com/product.png") {
  return {
    object: { image_url: imageUrl, scale: 0.6, position: { x: 0.5, y: 0.5 } },
    scene: { prompt, aspect_ratio: "1:1" },
    output: { number_of_images: images, format: "png" },
  };
}

describe("two instances on one PostgreSQL and one bucket", () => {
  let bucket: TestBucket;
  let database: TestPostgres;
  let standin: ClaidStandin;
  let pool: pg.Pool;
  let shared: Record<string, string>;
  let a: NextServer;
  let b: NextServer;
  let admin: string;
  /** A's worker, as the first test sees it run A's generation. */
  let workerOfA: string | undefined;

  beforeAll(async () => {
    [bucket, database, standin] = await Promise.all([
      testBucket(),
      freshPostgres(),
      startClaidStandin({ apiKey: TEST_CLAID_KEY, imageSize: 96 }),
    ]);
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    shared = {
      DATABASE_URL: database.url,
      AUTH_SECRET: TEST_AUTH_SECRET,
      ...bucket.env(`instances-${randomUUID().slice(0, 8)}`),
      CLAID_API_KEY: TEST_CLAID_KEY,
      CLAID_API_BASE_URL: standin.url,
      ALLOW_LOOPBACK_FETCH: "1",
      DEFAULT_ENGINE: "claid",
      GENERATION_LEASE_MS: String(LEASE_MS),
      GENERATION_POLL_MS: "250",
      TOKEN_CACHE_SECONDS: String(TOKEN_CACHE_SECONDS),
      RATE_LIMIT_LOCAL_PER_MINUTE: String(LOCAL_PER_MINUTE),
      RATE_LIMIT_CLAID_PER_MINUTE: "1000",
      DAILY_CLAID_IMAGE_BUDGET: "1000",
    };
    // Started together on an empty database: they take turns to migrate.
    [a, b] = await Promise.all([
      startNext({ ...shared, GENERATION_CONCURRENCY: "1" }, { timeoutMs: 180_000 }),
      startNext({ ...shared, GENERATION_CONCURRENCY: "4" }, { timeoutMs: 180_000 }),
    ]);
    admin = await adminToken(a.origin);
  }, 240_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await pool?.end();
    await standin?.close();
    await database?.drop();
    await bucket?.close();
  }, 60_000);

  function call(server: NextServer, url: string, token: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${token}`);
    if (init.body) headers.set("content-type", "application/json");
    return fetch(`${server.origin}${url}`, { ...init, headers });
  }

  async function rows(where = "true", values: unknown[] = []): Promise<Row[]> {
    return (
      await pool.query<Row>(`select id, status, worker_id, note from generations where ${where}`, values)
    ).rows;
  }

  /** Every generation has settled (the next step starts from a quiet queue). */
  async function settled() {
    await eventually(
      async () => ((await rows("status in ('queued', 'running')")).length === 0 ? true : undefined),
      90_000,
    );
  }

  /** The statuses an event stream of `server` reports for one generation, until it settles. */
  async function followEvents(server: NextServer, id: string, token: string) {
    const response = await call(server, `/api/generations/${id}/events`, token, {
      signal: AbortSignal.timeout(90_000),
    });
    expect(response.status).toBe(200);
    const events: { status: string; outputs: { url: string | null }[] }[] = [];
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
      for (let end = text.indexOf("\n\n"); end >= 0; end = text.indexOf("\n\n")) {
        const frame = text.slice(0, end);
        text = text.slice(end + 2);
        const data = /^event: generation\ndata: (.*)$/m.exec(frame)?.[1];
        if (data) events.push(JSON.parse(data) as (typeof events)[number]);
      }
    }
    return events;
  }

  it("a generation created through A while A's slot is taken runs on B, A's event stream follows it live, and A serves B's files", async () => {
    // Long enough that A is still busy when the second generation is queued, even on a loaded machine.
    standin.setOptions({ delayMs: 5000 });
    // The scene/create path runs in the process it reached when a slot is free: A's only slot.
    const holding = call(a, "/v1/scene/create", admin, {
      method: "POST",
      body: JSON.stringify(draft("holds A")),
    });
    const [first] = await eventually(async () => {
      const running = await rows("status = 'running'");
      return running.length === 1 ? running : undefined;
    }, 60_000);
    workerOfA = first!.worker_id ?? undefined;
    expect(workerOfA).toMatch(/^worker-/);

    const queued = await call(a, "/api/generations", admin, {
      method: "POST",
      body: JSON.stringify({ request: draft("made on A, run on B", 2), engine: "claid" }),
    });
    expect(queued.status).toBe(202);
    const { generation } = (await queued.json()) as { generation: { id: string } };
    const events = await followEvents(a, generation.id, admin);

    const statuses = events.map((e) => e.status);
    expect(statuses).toContain("running");
    expect(statuses.at(-1)).toBe("succeeded");
    expect(statuses.indexOf("running")).toBeLessThan(statuses.indexOf("succeeded"));
    const [ran] = await rows("id = $1", [generation.id]);
    expect(ran?.worker_id).toMatch(/^worker-/);
    expect(ran?.worker_id).not.toBe(workerOfA);

    const urls = events.at(-1)!.outputs.map((o) => o.url ?? "");
    expect(urls).toHaveLength(2);
    for (const url of urls) {
      const key = url.split("/").pop() ?? "";
      for (const server of [a, b]) {
        const file = await call(server, url, admin);
        expect(file.status).toBe(200);
        expect(`${sha256(Buffer.from(await file.arrayBuffer()))}.png`).toBe(key);
      }
    }
    const zip = await call(a, `/api/downloads?generation=${generation.id}`, admin);
    expect(zip.status).toBe(200);
    expect(zip.headers.get("content-type")).toBe("application/zip");
    expect((await zip.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    expect((await holding).status).toBe(200);
  }, 180_000);

  it("a token revoked on A stops working on B long before B's cache would forget it", async () => {
    const created = await call(a, "/api/tokens", admin, {
      method: "POST",
      body: JSON.stringify({ name: "short-lived" }),
    });
    expect(created.status).toBe(201);
    const { token, id } = (await created.json()) as { token: string; id: string };
    // B looks it up once and remembers it for TOKEN_CACHE_SECONDS.
    expect((await call(b, "/api/me", token)).status).toBe(200);
    expect((await call(b, "/api/me", token)).status).toBe(200);

    const revokedAt = Date.now();
    expect((await call(a, `/api/tokens/${id}`, admin, { method: "DELETE" })).status).toBe(204);
    expect((await call(a, "/api/me", token)).status).toBe(401);
    await eventually(
      async () => ((await call(b, "/api/me", token)).status === 401 ? true : undefined),
      30_000,
    );
    expect(Date.now() - revokedAt).toBeLessThan(TOKEN_CACHE_SECONDS * 1000);
  }, 60_000);

  it("a session signed in on A is valid on B; one person's budget and rate limit hold across both", async () => {
    await settled();
    standin.setOptions({ delayMs: 0 });
    const person = {
      email: `p-${randomUUID()}@example.com`,
      name: "Pat",
      role: "member",
      password: "pat-password-1",
    };
    const added = await call(a, "/api/members", admin, { method: "POST", body: JSON.stringify(person) });
    expect(added.status).toBe(201);
    const { member } = (await added.json()) as { member: { id: string } };
    const budgeted = await call(b, `/api/members/${member.id}`, admin, {
      method: "PATCH",
      body: JSON.stringify({ dailyImageBudget: BUDGET }),
    });
    expect(budgeted.status).toBe(200);

    const signIn = await fetch(`${a.origin}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: a.origin },
      body: JSON.stringify({ email: person.email, password: person.password }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const onB = await fetch(`${b.origin}/api/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: b.origin, cookie },
      body: JSON.stringify({ name: "pat" }),
    });
    expect(onB.status).toBe(201);
    const { token } = (await onB.json()) as { token: string };
    // Drafts are made from an upload kept in the bucket by A, whichever instance renders them.
    const form = new FormData();
    form.set("file", new Blob([new Uint8Array(await productPng())]), "product.png");
    const uploaded = await fetch(`${a.origin}/api/uploads`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(uploaded.status).toBe(201);
    const product = `backdrop://files/${((await uploaded.json()) as { key: string }).key}`;

    const twenty = (engine: "claid" | "local") =>
      Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          call(i % 2 ? b : a, "/api/generations", token, {
            method: "POST",
            body: JSON.stringify({
              request: engine === "local" ? draft(`draft ${i}`, 1, product) : draft(`paid ${i}`),
              engine,
            }),
          }).then(async (r) => {
            await r.arrayBuffer();
            return r.status;
          }),
        ),
      );
    const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

    const paid = await twenty("claid");
    expect({ accepted: count(paid, 202), overBudget: count(paid, 402) }).toEqual({
      accepted: BUDGET,
      overBudget: 16,
    });
    const drafts = await twenty("local");
    expect({ accepted: count(drafts, 202), limited: count(drafts, 429) }).toEqual({
      accepted: LOCAL_PER_MINUTE,
      limited: 15,
    });
    await settled();
    const usage = await pool.query<{ images: number }>("select images from image_usage where user_id = $1", [
      member.id,
    ]);
    expect(usage.rows).toEqual([{ images: BUDGET }]);
    const mine = await rows("created_by = $1", [member.id]);
    expect(mine.map((r) => r.status).sort()).toEqual(Array(BUDGET + LOCAL_PER_MINUTE).fill("succeeded"));
  }, 180_000);

  it("sign-in attempts from one address are counted once across both instances", async () => {
    const attempt = (server: NextServer) =>
      fetch(`${server.origin}/api/auth/sign-in/email`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          origin: server.origin,
          "x-forwarded-for": "198.51.100.7",
        },
        body: JSON.stringify({ email: "admin@example.com", password: "not-the-password" }),
      }).then(async (r) => {
        await r.arrayBuffer();
        return r.status;
      });
    const allowed: number[] = [];
    for (let i = 0; i < SIGN_INS_PER_MINUTE; i++) allowed.push(await attempt(i % 2 ? b : a));
    expect(allowed).toEqual(Array(SIGN_INS_PER_MINUTE).fill(401));
    // Each instance has seen only half of them; together they have seen enough.
    expect([await attempt(a), await attempt(b)]).toEqual([429, 429]);
  }, 120_000);

  it("kill -9 of the instance downloading paid results: the other marks the generation interrupted after the lease and fetches them", async () => {
    await settled();
    standin.reset();
    standin.setOptions({ delayMs: 0, downloadDelayMs: 60_000 });
    const dying = call(a, "/v1/scene/create", admin, {
      method: "POST",
      body: JSON.stringify(draft("A dies", 2)),
    }).catch(() => undefined);
    await eventually(
      async () =>
        standin.calls.some((c) => c.method === "GET" && c.path.startsWith("/files/")) ? true : undefined,
      60_000,
    );
    const [inFlight] = await rows("status = 'running'");
    expect(inFlight).toBeDefined();
    // The draft reached A, which runs it itself when its one slot is free; when A's worker was taking
    // a claim at that instant it was queued instead, and B took it. The one downloading is killed.
    const [victim, survivor] = inFlight!.worker_id === workerOfA ? [a, b] : [b, a];
    victim.child.kill("SIGKILL");
    await new Promise((resolve) =>
      victim.child.exitCode !== null || victim.child.signalCode
        ? resolve(null)
        : victim.child.once("exit", resolve),
    );
    expect(victim.child.signalCode).toBe("SIGKILL");
    standin.setOptions({ downloadDelayMs: 0 });
    // A's answer: gone with A, or (when B was downloading) the recovered result once A has it.
    await dying;

    const recovered = await eventually(async () => {
      const [row] = await rows("id = $1", [inFlight!.id]);
      return row?.status === "succeeded" ? row : undefined;
    }, 90_000);
    expect(recovered.note).toMatch(
      /stopped during the download.*all 2 images were fetched from Claid's links/,
    );
    // Paid once: the upstream made it a single time.
    expect(standin.callsTo("/v1/scene/create")).toHaveLength(1);
    const outputs = await pool.query<{ file_key: string }>(
      "select file_key from generation_outputs where generation_id = $1 order by index",
      [inFlight!.id],
    );
    expect(outputs.rows).toHaveLength(2);
    for (const { file_key: key } of outputs.rows) {
      const file = await call(survivor, `/api/files/${key}`, admin);
      expect(file.status).toBe(200);
      expect(`${sha256(Buffer.from(await file.arrayBuffer()))}.png`).toBe(key);
    }
  }, 180_000);

  it("npm run check finds the records and the bucket consistent: 0 problems", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "instances-check-"));
    const check = spawnSync(
      process.execPath,
      ["--conditions", "react-server", "--import", "tsx", "scripts/check-consistency.ts"],
      {
        cwd: process.cwd(),
        env: { ...process.env, ...shared, DATA_DIR: dataDir, NODE_ENV: "production" },
        encoding: "utf8",
        timeout: 120_000,
      },
    );
    fs.rmSync(dataDir, { recursive: true, force: true });
    expect(check.stdout.trim().split("\n").pop(), check.stdout + check.stderr).toBe("0 problems");
    expect(check.status).toBe(0);
    // The files it compared are the bucket's: every generation's outputs are there.
    expect(check.stdout).toMatch(/stored files [1-9]\d*/);
  }, 150_000);
});
