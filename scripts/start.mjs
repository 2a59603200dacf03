// `npm start`: builds the app when `.next` is not a build of the current sources, then serves it.
// HOST and PORT come from the environment (default 127.0.0.1:3000); the app validates the rest at start.
import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";

import { isBuilt, markBuilt } from "./build-stamp.mjs";

const NEXT_BIN = createRequire(import.meta.url).resolve("next/dist/bin/next");

if (!isBuilt()) {
  console.log("Building the app (first start or changed sources)…");
  const build = spawnSync(process.execPath, [NEXT_BIN, "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
  markBuilt();
}

const host = process.env.HOST || "127.0.0.1";
const port = process.env.PORT || "3000";
// Next itself, not through npx: npx does not pass a stop signal on, and the server would outlive us.
const child = spawn(process.execPath, [NEXT_BIN, "start", "-H", host, "-p", port], {
  stdio: "inherit",
  // The app checks requests against its own address: it must know the port it listens on.
  env: {
    ...process.env,
    HOST: host,
    PORT: port,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    NEXT_MANUAL_SIG_HANDLE: "1",
  },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
