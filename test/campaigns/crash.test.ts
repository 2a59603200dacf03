// A 200-item claid campaign on the stand-in, its server killed with SIGKILL mid-run and started
// again: the campaign completes, every item ends in a recorded state, and the upstream was called
// once for each item that ran, never twice (no double charge). On PGlite and PostgreSQL.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { closeDatabases } from "@/lib/server/db/client";
import { imageReservation } from "@/lib/server/db/schema/auth";
import { campaignItems } from "@/lib/server/db/schema/campaigns";
import { generations } from "@/lib/server/db/schema/generations";
import { checkConsistency } from "@/lib/server/generations/consistency";
import { generationDeps } from "@/lib/server/generations/records/deps";
import { startClaidStandin, type ClaidStandin } from "@/test/support/claid-standin";

import { DRIVERS, eventually, openGenerationDeps, sleep } from "../generations/support";
import { NO_LIMITS, STANDIN_CLAID, TEST_CLAID_KEY, testConfig } from "../support/config";

const ENTRY = path.join(import.meta.dirname, "fixtures", "campaign-server.ts");
const ITEMS = 200;
const LEASE_MS = 1000;

type Server = { child: ChildProcess; output: () => string; exited: Promise<number | NodeJS.Signals> };

function startServer(env: Record<string, string>): Server {
  const child = spawn(process.execPath, ["--conditions", "react-server", "--import", "tsx", ENTRY], {
    cwd: process.cwd(),
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout?.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  const exited = new Promise<number | NodeJS.Signals>((resolve) =>
    child.on("exit", (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return { child, output: () => text, exited };
}

async function waitFor(server: Server, pattern: RegExp, ms = 240_000): Promise<RegExpMatchArray> {
  return eventually(async () => pattern.exec(server.output()) ?? undefined, ms).catch(() => {
    throw new Error(`server did not print ${pattern}:\n${server.output().slice(-4000)}`);
  });
}

const promptOf = (body: unknown) => (body as { scene?: { prompt?: string } })?.scene?.prompt ?? "";

describe.each(DRIVERS)("a campaign's server killed mid-run, on %s", (driver) => {
  let standin: ClaidStandin;
  let env: Record<string, string>;
  const servers: Server[] = [];

  beforeAll(async () => {
    standin = await startClaidStandin({ apiKey: TEST_CLAID_KEY, imageSize: 16, delayMs: 250 });
    const dataDir = path.join(process.env.DATA_DIR ?? "/tmp", `campaign-crash-${driver}`);
    fs.mkdirSync(dataDir, { recursive: true });
    let databaseUrl = "";
    if (driver === "postgres") {
      const deps = await openGenerationDeps("postgres");
      databaseUrl = deps.config.DATABASE_URL ?? "";
      await closeDatabases();
    }
    env = {
      ...(NO_LIMITS as Record<string, string>),
      ...(STANDIN_CLAID as Record<string, string>),
      NODE_ENV: "test",
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      CLAID_API_KEY: TEST_CLAID_KEY,
      CLAID_API_BASE_URL: standin.url,
      DEFAULT_ENGINE: "claid",
      GENERATION_LEASE_MS: String(LEASE_MS),
      GENERATION_POLL_MS: "100",
      GENERATION_CONCURRENCY: "8",
      // Paced below what eight slots could send, so some claimed items wait for their turn when the
      // process dies: those never reached the upstream and must run after the restart, once.
      CLAID_CALLS_PER_SECOND: "8",
      CLAID_CALLS_PER_MINUTE: "6000",
    };
  }, 240_000);
  afterAll(async () => {
    for (const s of servers) s.child.kill("SIGKILL");
    await closeDatabases();
    await standin?.close();
  });

  it(`completes after a restart: every item recorded, one upstream call per item that ran, none twice`, async () => {
    const plan = {
      name: "Crash campaign",
      engine: "claid",
      base: {
        object: { image_url: "https://images.example.com/product.png", scale: 0.6 },
        scene: { prompt: "placeholder scene", aspect_ratio: "1:1" },
        output: { number_of_images: 1, format: "png" },
      },
      axes: { scenes: Array.from({ length: ITEMS }, (_, i) => ({ prompt: `crash scene ${i}` })) },
    };
    const first = startServer({ ...env, CAMPAIGN_PLAN: JSON.stringify(plan) });
    servers.push(first);
    const id = (await waitFor(first, /CAMPAIGN (\S+)/))[1] ?? "";
    const scenes = () => standin.callsTo("/v1/scene/create");
    await eventually(async () => (scenes().length >= 60 ? true : undefined), 240_000);
    // Calls go out in paced bursts; half a second after one, its answers are in and the next items
    // wait for their turn: the process dies with items both at the upstream and waiting.
    await sleep(500);
    first.child.kill("SIGKILL");
    expect(await first.exited).toBe("SIGKILL");
    const beforeKill = scenes().length;
    expect(beforeKill).toBeLessThan(ITEMS);
    await sleep(LEASE_MS * 1.5);

    const second = startServer({ ...env, CAMPAIGN_ID: id });
    servers.push(second);
    await waitFor(second, new RegExp(`DONE ${id}`));
    second.child.kill("SIGTERM");
    expect(await second.exited, second.output().slice(-4000)).toBe(0);
    // The restarted server carried on where the first stopped.
    expect(scenes().length).toBeGreaterThan(beforeKill);

    const deps = await generationDeps(testConfig(env));
    const items = await deps.db.select().from(campaignItems).where(eq(campaignItems.campaignId, id));
    expect(items).toHaveLength(ITEMS);
    const rows = await deps.db
      .select()
      .from(generations)
      .where(
        inArray(
          generations.id,
          items.map((i) => i.generationId ?? ""),
        ),
      );
    expect(rows).toHaveLength(ITEMS);
    // Every item in a recorded, settled state.
    const withStatus = (status: string) => rows.filter((r) => r.status === status);
    expect(withStatus("queued")).toHaveLength(0);
    expect(withStatus("running")).toHaveLength(0);
    expect(rows.every((r) => ["succeeded", "failed", "interrupted"].includes(r.status))).toBe(true);

    // Upstream calls: one per item that ran, never two for the same item.
    const calls = new Map<string, number>();
    for (const call of scenes()) calls.set(promptOf(call.body), (calls.get(promptOf(call.body)) ?? 0) + 1);
    expect([...calls.values()].every((n) => n === 1)).toBe(true);
    const sent = rows.filter((r) => r.upstreamSentAt !== null);
    expect(scenes().length).toBeLessThanOrEqual(sent.length);
    for (const row of rows) {
      const made = calls.get(promptOf(row.request)) ?? 0;
      if (row.status === "succeeded") expect(made, row.id).toBe(1);
      // Never sent: never called. (A sent one the crash cut off may or may not have reached it.)
      if (row.upstreamSentAt === null) expect(made, row.id).toBe(0);
    }
    // Only the items with the upstream when the process died were lost; everything else finished.
    const interrupted = withStatus("interrupted");
    expect(interrupted.length).toBeLessThanOrEqual(8);
    expect(interrupted.every((r) => r.upstreamSentAt !== null)).toBe(true);
    expect(withStatus("failed")).toHaveLength(0);
    expect(withStatus("succeeded")).toHaveLength(ITEMS - interrupted.length);

    // Paid once: each succeeded item's reservation is spent, and no item reserved twice.
    const reservations = await deps.db
      .select()
      .from(imageReservation)
      .where(
        inArray(
          imageReservation.generationId,
          rows.map((r) => r.id),
        ),
      );
    expect(reservations).toHaveLength(ITEMS);
    const succeeded = new Set(withStatus("succeeded").map((r) => r.id));
    for (const r of reservations) if (succeeded.has(r.generationId ?? "")) expect(r.status).toBe("committed");

    // The figures of the run, for whoever reads the test's output.
    const requeued = rows.filter((r) => r.attempts > 1 && r.status === "succeeded").length;
    process.stdout.write(
      `campaign crash on ${driver}: ${beforeKill} upstream calls before SIGKILL, ${scenes().length} in all; ` +
        `${withStatus("succeeded").length} succeeded (${requeued} of them queued again unsent after the restart), ` +
        `${interrupted.length} interrupted with the upstream; ${calls.size} items called, each once\n`,
    );
    expect(requeued).toBeGreaterThan(0);
    const report = await checkConsistency(deps, { leaseMs: LEASE_MS });
    expect(report.problemCount).toBe(0);
    await closeDatabases();
  }, 600_000);
});
