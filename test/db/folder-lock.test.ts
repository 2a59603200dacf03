// One process at a time on an embedded database folder; a lock left by a dead process is taken over.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

import { FolderInUseError, lockFolder } from "@/lib/server/db/folder-lock";

const HOLDER = path.join(import.meta.dirname, "fixtures", "hold-lock.ts");
const SERVER = path.join(import.meta.dirname, "..", "generations", "fixtures", "server-process.ts");
const children: ChildProcess[] = [];

function folder() {
  return fs.mkdtempSync(path.join(os.tmpdir(), "backdrop-lock-"));
}

async function holder(dir: string) {
  return started([HOLDER, dir], "LOCKED");
}

/** A process of `args` (under tsx), once it has printed `ready`. */
async function started(args: string[], ready: string, env: NodeJS.ProcessEnv = process.env) {
  const child = spawn(process.execPath, ["--conditions", "react-server", "--import", "tsx", ...args], {
    stdio: ["ignore", "pipe", "inherit"],
    env,
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => d.toString().includes(ready) && resolve());
    child.on("exit", (code) => reject(new Error(`holder exited with ${code}`)));
  });
  const exited = new Promise<number | string>((r) => child.on("exit", (c, s) => r(c ?? s ?? -1)));
  return { child, exited };
}

afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});

describe("the embedded database folder lock", () => {
  it("refuses a second process while the first runs, and frees the folder when it stops", async () => {
    const dir = folder();
    const first = await holder(dir);
    let refused: unknown;
    try {
      lockFolder(dir);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(FolderInUseError);
    expect(refused).toMatchObject({ pid: first.child.pid });
    expect((refused as Error).message).toMatch(/in use by another process .*Stop it first/);

    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    const release = lockFolder(dir);
    release();
    expect(fs.existsSync(path.join(dir, "backdrop.lock"))).toBe(false);
  });

  it("takes over the lock of a process that was killed", async () => {
    const dir = folder();
    const first = await holder(dir);
    first.child.kill("SIGKILL");
    expect(await first.exited).toBe("SIGKILL");
    expect(fs.existsSync(path.join(dir, "backdrop.lock"))).toBe(true);
    const release = lockFolder(dir);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "backdrop.lock"), "utf8"))).toMatchObject({
      pid: process.pid,
    });
    release();
  });

  it("refuses to open the same folder twice in one process, and takes over a half-written lock", () => {
    const dir = folder();
    const release = lockFolder(dir);
    expect(() => lockFolder(dir)).toThrow(/already open in this process/);
    release();
    fs.writeFileSync(path.join(dir, "backdrop.lock"), "{");
    lockFolder(dir)();
  });

  it("makes npm run admin and npm run check refuse a folder the server holds, with a message", async () => {
    const dataDir = folder();
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "", NODE_ENV: "test" as const };
    // The server's own start: it opens the database, and with it takes the folder.
    const server = await started([SERVER], "READY", env);
    const run = (script: string, args: string[]) =>
      spawnSync(process.execPath, ["--conditions", "react-server", "--import", "tsx", script, ...args], {
        env,
        encoding: "utf8",
        timeout: 120_000,
      });
    const admin = run("scripts/admin.ts", ["create-user", "--email", "late@example.com", "--name", "Late"]);
    expect(admin.status).toBe(1);
    expect(admin.stderr).toMatch(/in use by another process \(pid \d+, probably the server\)/);
    const check = run("scripts/check-consistency.ts", []);
    expect(check.status).toBe(2);
    expect(check.stderr).toMatch(/in use by another process/);
    server.child.kill("SIGTERM");
    await server.exited;
  }, 180_000);
});
