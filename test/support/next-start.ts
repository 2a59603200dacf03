// The built app under `next start` on a free loopback port with a fresh data folder, and a signed-in
// admin's personal access token: for tests and benchmarks that need the real HTTP layer.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { freePort } from "./free-port";

const ROOT = path.resolve(import.meta.dirname, "../..");
const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");

export type NextServer = {
  origin: string;
  port: number;
  child: ChildProcess;
  /** Everything the server printed so far. */
  output: () => string;
  stop: () => Promise<void>;
};

export function hasBuild(): boolean {
  return fs.existsSync(path.join(ROOT, ".next/BUILD_ID"));
}

/** Starts the built app and waits until `/api/health` answers. `env` adds to the environment. */
export async function startNext(
  env: Record<string, string> = {},
  options: { nodeArgs?: string[]; timeoutMs?: number } = {},
): Promise<NextServer> {
  if (!hasBuild()) throw new Error("No build found: run `npx next build` first");
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "backdrop-next-"));
  const origin = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), NEXT_BIN, "start", "-H", "127.0.0.1", "-p", String(port)],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        NEXT_MANUAL_SIG_HANDLE: "1",
        DATA_DIR: dataDir,
        PUBLIC_BASE_URL: origin,
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const forced = setTimeout(() => child.kill("SIGKILL"), 20_000);
      await exited;
      clearTimeout(forced);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${origin}/api/health`);
      await response.body?.cancel();
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`next start did not become healthy:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { origin, port, child, output: () => output, stop };
}

async function postJson(url: string, body: unknown, headers: Record<string, string>) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { response, text: await response.text() };
}

/** The fresh install's first admin, signed in, with a personal access token, as a person would do it. */
export async function adminToken(origin: string): Promise<string> {
  const admin = { email: "admin@example.com", name: "Admin", password: `pw-${randomUUID()}` };
  const created = await postJson(`${origin}/api/members/first-admin`, admin, { origin });
  if (created.response.status !== 201)
    throw new Error(`first admin: ${created.response.status} ${created.text}`);
  const signIn = await postJson(
    `${origin}/api/auth/sign-in/email`,
    { email: admin.email, password: admin.password },
    { origin },
  );
  const cookie = signIn.response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  if (signIn.response.status !== 200 || !cookie) throw new Error(`sign-in: ${signIn.response.status}`);
  const token = await postJson(`${origin}/api/tokens`, { name: "tests" }, { origin, cookie });
  if (token.response.status !== 201) throw new Error(`token: ${token.response.status} ${token.text}`);
  return (JSON.parse(token.text) as { token: string }).token;
}
