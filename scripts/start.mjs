// `npm start`: builds the app when there is no build of the current revision, then serves it.
// HOST and PORT come from the environment (default 127.0.0.1:3000); the app validates the rest at start.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";

const REVISION_FILE = ".next/backdrop-revision";

function currentRevision() {
  try {
    const head = execFileSync("git", ["rev-parse", "HEAD"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], {
      encoding: "utf8",
    }).trim();
    return dirty ? undefined : head;
  } catch {
    return "unversioned";
  }
}

const revision = currentRevision();
const built =
  fs.existsSync(".next/BUILD_ID") &&
  revision !== undefined &&
  fs.existsSync(REVISION_FILE) &&
  fs.readFileSync(REVISION_FILE, "utf8") === revision;
if (!built) {
  console.log("Building the app (first start or changed sources)…");
  const build = spawnSync("npx", ["next", "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
  if (revision) fs.writeFileSync(REVISION_FILE, revision);
}

const host = process.env.HOST || "127.0.0.1";
const port = process.env.PORT || "3000";
const child = spawn("npx", ["next", "start", "-H", host, "-p", port], {
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
