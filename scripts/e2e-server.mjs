// The app as end-to-end tests see it: a built app on `next start` over a fresh, empty data folder.
import { spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";

const dataDir = process.env.DATA_DIR;
if (!dataDir) throw new Error("DATA_DIR must be set for the end-to-end server");
fs.rmSync(dataDir, { recursive: true, force: true });
fs.mkdirSync(dataDir, { recursive: true });

// Next itself, not through npx: npx does not pass a stop signal on, and the server would outlive us.
const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
const child = spawn(
  process.execPath,
  [nextBin, "start", "-H", process.env.HOST ?? "127.0.0.1", "-p", process.env.PORT ?? "3100"],
  {
    stdio: "inherit",
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      NEXT_MANUAL_SIG_HANDLE: "1",
    },
  },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
