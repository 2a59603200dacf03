import "server-only";

import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * One process at a time on an embedded database folder: PGlite has no lock of its own, and a second
 * process writing the same files loses the first one's changes. The lock is a file holding the owner's
 * pid, created exclusively; it is released on close and on a normal exit, and one left by a process
 * that died (kill -9, a crash) is taken over, because its pid no longer runs. (A lock judged by age,
 * as mtime-based lock libraries do, would either keep a restarted server waiting or let a second
 * process in while a busy one is still working.)
 */
export class FolderInUseError extends Error {
  override name = "FolderInUseError";
  constructor(
    readonly folder: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database in ${folder} is in use by another process (pid ${pid}, probably the server). ` +
        "Stop it first, use its HTTP API instead, or run both on PostgreSQL (DATABASE_URL).",
    );
  }
}

const LOCK_FILE = "backdrop.lock";

type Owner = { pid: number; host: string };

function readOwner(file: string): Owner | undefined {
  try {
    const owner = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<Owner>;
    return typeof owner.pid === "number" && typeof owner.host === "string"
      ? { pid: owner.pid, host: owner.host }
      : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the folder's lock for this process, or throws `FolderInUseError`. Returns its release. */
export function lockFolder(folder: string): () => void {
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, LOCK_FILE);
  const mine: Owner = { pid: process.pid, host: os.hostname() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(mine), { flag: "wx" });
      return onceReleased(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = readOwner(file);
    if (owner && owner.host === mine.host && owner.pid === mine.pid) {
      throw new Error(`${folder} is already open in this process`);
    }
    // Someone else's, alive (or on another machine sharing the folder, which we cannot check): refuse.
    if (owner && (owner.host !== mine.host || isRunning(owner.pid)))
      throw new FolderInUseError(folder, owner.pid);
    // Left by a process that is gone, or half-written: take it over (exclusively, so two starting
    // processes cannot both).
    fs.rmSync(file, { force: true });
  }
  const owner = readOwner(file);
  throw new FolderInUseError(folder, owner?.pid ?? 0);
}

function onceReleased(file: string): () => void {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off("exit", release);
    if (readOwner(file)?.pid === process.pid) fs.rmSync(file, { force: true });
  };
  process.on("exit", release);
  return release;
}
