import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { closeDatabases } from "@/lib/server/db/client";
import { imageReservation } from "@/lib/server/db/schema/auth";
import { generationOutputs, generations } from "@/lib/server/db/schema/generations";
import { checkConsistency } from "@/lib/server/generations/consistency";
import { generationDeps } from "@/lib/server/generations/records/deps";
import { objectStoreFor } from "@/lib/server/storage";
import type { ClaidStandin } from "@/test/support/claid-standin";

import { NO_LIMITS, STANDIN_CLAID, TEST_AUTH_SECRET, TEST_CLAID_KEY, testConfig } from "../support/config";
import { DRIVERS, eventually, promptRequest, sleep, startStandin } from "./support";

const ENTRY = path.join(import.meta.dirname, "fixtures", "server-process.ts");
const LEASE_MS = 1000;

/** How the process ended: its exit code, or the signal that ended it. */
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

function runCheck(env: Record<string, string>, args: string[] = []) {
  const result = spawnSync(
    process.execPath,
    ["--conditions", "react-server", "--import", "tsx", "scripts/check-consistency.ts", ...args],
    { cwd: process.cwd(), env: { ...process.env, ...env }, encoding: "utf8", timeout: 120_000 },
  );
  return { status: result.status, stdout: result.stdout, last: result.stdout.trim().split("\n").pop() };
}

async function waitFor(server: Server, pattern: RegExp, ms = 120_000): Promise<RegExpMatchArray> {
  return eventually(async () => pattern.exec(server.output()) ?? undefined, ms).catch(() => {
    throw new Error(`server did not print ${pattern}:\n${server.output()}`);
  });
}

describe.each(DRIVERS)("a server killed mid-generation, on %s", (driver) => {
  let standin: ClaidStandin;
  let env: Record<string, string>;
  const servers: Server[] = [];

  beforeAll(async () => {
    standin = await startStandin();
    const dataDir = path.join(process.env.DATA_DIR ?? "/tmp", `crash-${driver}`);
    fs.mkdirSync(dataDir, { recursive: true });
    let databaseUrl = "";
    if (driver === "postgres") {
      // Its own database on the test server; openGenerationDeps's helper would also open it here.
      const { openGenerationDeps } = await import("./support");
      const deps = await openGenerationDeps("postgres");
      databaseUrl = deps.config.DATABASE_URL ?? "";
      await closeDatabases();
    }
    env = {
      NODE_ENV: "test",
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      AUTH_SECRET: TEST_AUTH_SECRET,
      CLAID_API_KEY: TEST_CLAID_KEY,
      CLAID_API_BASE_URL: standin.url,
      DEFAULT_ENGINE: "claid",
      ALLOW_LOOPBACK_FETCH: "1",
      GENERATION_LEASE_MS: String(LEASE_MS),
      GENERATION_POLL_MS: "100",
    };
  });
  afterAll(async () => {
    for (const s of servers) s.child.kill("SIGKILL");
    await closeDatabases();
    await standin?.close();
  });

  it("finds the generation interrupted after a restart, never missing or stuck running, with 0 consistency problems", async () => {
    standin.setOptions({ delayMs: 30_000 });
    const first = startServer({ ...env, QUEUE_PROMPT: JSON.stringify(promptRequest("killed mid-flight")) });
    servers.push(first);
    const id = (await waitFor(first, /QUEUED (\S+)/))[1] ?? "";
    // The upstream has the request: the generation is running when the process dies.
    await eventually(async () => (standin.callsTo("/v1/scene/create").length > 0 ? true : undefined), 60_000);
    first.child.kill("SIGKILL");
    expect(await first.exited).toBe("SIGKILL");
    await sleep(LEASE_MS * 1.5);

    standin.setOptions({ delayMs: 0 });
    const second = startServer(env);
    servers.push(second);
    await waitFor(second, /READY/);
    // With PostgreSQL a running server can be watched; PGlite allows one process per folder.
    if (driver === "postgres") {
      const deps = await generationDeps(testConfig({ ...STANDIN_CLAID, ...NO_LIMITS, ...env }));
      await eventually(async () => {
        const [row] = await deps.db.select().from(generations).where(eq(generations.id, id));
        return row?.status === "interrupted" ? row : undefined;
      });
      await closeDatabases();
    }
    second.child.kill("SIGTERM");
    expect(await second.exited, second.output()).toBe(0);

    const deps = await generationDeps(testConfig({ ...STANDIN_CLAID, ...NO_LIMITS, ...env }));
    const [row] = await deps.db.select().from(generations).where(eq(generations.id, id));
    expect(row?.status).toBe("interrupted");
    expect(row?.error).toMatchObject({
      error_code: "generation_interrupted",
      error_details: { attempts: 1, worker_id: expect.stringMatching(/^worker-/) },
    });
    expect(row?.startedAt).toBeInstanceOf(Date);
    expect(row?.finishedAt).toBeInstanceOf(Date);
    // Nothing came back before the crash: whether the upstream charged is unknown, so the images stay
    // counted against the day without being marked spent.
    const [reservation] = await deps.db
      .select({ status: imageReservation.status })
      .from(imageReservation)
      .where(eq(imageReservation.generationId, id));
    expect(reservation?.status).toBe("reserved");
    const report = await checkConsistency(deps, { leaseMs: LEASE_MS });
    expect(report.problems).toEqual({
      missingFiles: [],
      orphanFiles: [],
      stuckRunning: [],
      strayClaims: 0,
      danglingThumbnails: [],
    });
    expect(report.problemCount).toBe(0);
    expect(report.counts.generations).toBe(1);
    await closeDatabases();

    // The same verdict from `npm run check`, and its exit code when something is wrong.
    expect(runCheck(env)).toMatchObject({ status: 0, last: "0 problems" });
    const stray = await objectStoreFor(env.DATA_DIR ?? "").put(Buffer.from("left behind"), "png");
    const found = runCheck(env);
    expect(found).toMatchObject({ status: 1, last: "1 problem" });
    expect(found.stdout).toContain(`orphan files: 1\n  ${stray.key}`);
    expect(runCheck(env, ["--fix"])).toMatchObject({ status: 0, last: "0 problems" });
  }, 420_000);

  it("a stop signal while the server is still opening its database ends it in order: exit 0, nothing left behind", async () => {
    const early = startServer(env);
    servers.push(early);
    await waitFor(early, /STARTING/);
    early.child.kill("SIGTERM");
    expect(await early.exited, early.output()).toBe(0);
    expect(early.output()).not.toMatch(/failed/);

    const deps = await generationDeps(testConfig({ ...STANDIN_CLAID, ...NO_LIMITS, ...env }));
    const report = await checkConsistency(deps, { leaseMs: LEASE_MS });
    expect(report.problemCount).toBe(0);
    await closeDatabases();
  }, 420_000);

  it("a server killed while downloading paid results: after a restart they are fetched from their URLs and the generation has succeeded, not generated again", async () => {
    standin.reset();
    standin.setOptions({ delayMs: 0, downloadDelayMs: 60_000 });
    const first = startServer({ ...env, QUEUE_PROMPT: JSON.stringify(promptRequest("killed mid-download")) });
    servers.push(first);
    const id = (await waitFor(first, /QUEUED (\S+)/))[1] ?? "";
    // The results were recorded before their download began.
    const downloading = () => standin.calls.some((c) => c.method === "GET" && c.path.startsWith("/files/"));
    await eventually(async () => (downloading() ? true : undefined), 60_000);
    first.child.kill("SIGKILL");
    expect(await first.exited).toBe("SIGKILL");
    await sleep(LEASE_MS * 1.5);

    standin.setOptions({ downloadDelayMs: 0 });
    const second = startServer(env);
    servers.push(second);
    await waitFor(second, /READY/);
    // Stopping waits for the fetch of kept results that start-up began.
    second.child.kill("SIGTERM");
    expect(await second.exited, second.output()).toBe(0);

    const deps = await generationDeps(testConfig({ ...STANDIN_CLAID, ...NO_LIMITS, ...env }));
    const [row] = await deps.db.select().from(generations).where(eq(generations.id, id));
    // Every paid image was recovered: the generation has succeeded, and says how.
    expect(row?.status).toBe("succeeded");
    expect(row?.error).toBeNull();
    expect(row?.note).toMatch(/after the restart all 2 images were fetched from Claid's links/);
    const outputs = await deps.db
      .select()
      .from(generationOutputs)
      .where(eq(generationOutputs.generationId, id))
      .orderBy(generationOutputs.index);
    expect(outputs.map((o) => o.index)).toEqual([0, 1]);
    for (const output of outputs) {
      expect(output.fileKey).toMatch(/^[a-f0-9]{64}\.png$/);
      expect(await deps.store.stat(output.fileKey ?? "")).toEqual({ size: output.size });
      expect(output.upstreamUrl).toContain(standin.url);
    }
    // Paid once: the upstream generated it a single time, and the budget says so.
    expect(standin.callsTo("/v1/scene/create")).toHaveLength(1);
    const [reservation] = await deps.db
      .select({ status: imageReservation.status })
      .from(imageReservation)
      .where(eq(imageReservation.generationId, id));
    expect(reservation?.status).toBe("committed");
    const report = await checkConsistency(deps, { leaseMs: LEASE_MS });
    expect(report.problemCount).toBe(0);
    await closeDatabases();
  }, 420_000);
});
