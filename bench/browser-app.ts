/**
 * The built app for the browser benchmarks: `next start` on a loopback port with a fresh data folder
 * and the local engine, and a signed-in member (a fresh install gets its first admin created).
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "@playwright/test";

import { freePort } from "./support";

const ROOT = path.resolve(import.meta.dirname, "..");

function startNext(port: number, dataDir: string, env: Record<string, string>): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-H", "127.0.0.1", "-p", String(port)],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          NODE_ENV: "production",
          NEXT_TELEMETRY_DISABLED: "1",
          DATA_DIR: dataDir,
          DEFAULT_ENGINE: "local",
          AUTH_URL: `http://127.0.0.1:${port}`,
          ...env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    const timer = setTimeout(() => reject(new Error(`next start did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready in|started server/i.test(output)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", (code) => reject(new Error(`next start exited with ${code}:\n${output}`)));
  });
}

/** The app to measure: `BENCH_URL` when set, otherwise the build in `.next` started here. */
export async function benchApp(
  name: string,
  env: Record<string, string> = {},
): Promise<{ url: string; stop: () => void }> {
  if (process.env.BENCH_URL) return { url: process.env.BENCH_URL, stop: () => undefined };
  if (!fs.existsSync(path.join(ROOT, ".next/BUILD_ID")))
    throw new Error("No build found: run `npx next build` first");
  const port = await freePort();
  const server = await startNext(
    port,
    fs.mkdtempSync(path.join(os.tmpdir(), `backdrop-${name}-bench-`)),
    env,
  );
  return { url: `http://127.0.0.1:${port}`, stop: () => server.kill("SIGTERM") };
}

/** "Ready" comes before the database has opened and migrated; the health route answers after. */
async function waitForHealth(app: string) {
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    const ok = await fetch(`${app}/api/health`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${app}/api/health did not answer`);
}

/** Signs the page's context in as `BENCH_EMAIL` / `BENCH_PASSWORD`, or a bench user it creates. */
export async function signIn(
  page: Page,
  app: string,
  who: { email: string; password: string; name: string },
) {
  await waitForHealth(app);
  const email = process.env.BENCH_EMAIL ?? who.email;
  const password = process.env.BENCH_PASSWORD ?? who.password;
  const headers = { origin: app };
  const request = page.context().request;
  let response = await request.post(`${app}/api/auth/sign-in/email`, {
    data: { email, password },
    headers,
    timeout: 120_000,
  });
  if (!response.ok()) {
    await request.post(`${app}/api/members/first-admin`, {
      data: { email, password, name: who.name },
      headers,
    });
    response = await request.post(`${app}/api/auth/sign-in/email`, { data: { email, password }, headers });
  }
  if (!response.ok()) throw new Error(`sign-in failed: ${response.status()} ${await response.text()}`);
}
