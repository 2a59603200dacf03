// `npm test`: builds the app, runs Vitest then Playwright, and prints one line `N passed, N failed`
// summed from both JSON reports. Exits non-zero when anything failed or a runner produced no report.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";

import { markBuilt } from "./build-stamp.mjs";

const RESULTS = "test-results";
fs.rmSync(RESULTS, { recursive: true, force: true });
fs.mkdirSync(RESULTS, { recursive: true });

function run(command, args, env = {}) {
  console.log(`\n$ ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
  return result.status ?? 1;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

const env = { NEXT_TELEMETRY_DISABLED: "1" };
if (!process.env.TEST_DATABASE_URL && fs.existsSync("scripts/postgres-test-server.sh")) {
  const pg = spawnSync("bash", ["scripts/postgres-test-server.sh"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = pg.stdout.trim().split("\n").pop();
  if (pg.status === 0 && url?.startsWith("postgres")) env.TEST_DATABASE_URL = url;
  else console.error("PostgreSQL test server did not start: the PostgreSQL tests will fail.");
}

// A real S3-compatible server (s3rver) for the bucket half of the storage suite and the multi-instance
// test. It runs while this script does: when the script ends, its stdin closes and it stops.
let s3;
if (!process.env.TEST_S3_ENDPOINT) {
  s3 = spawn(process.execPath, ["--openssl-legacy-provider", "scripts/s3-test-server.mjs"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const endpoint = await new Promise((resolve) => {
    let text = "";
    s3.stdout.on("data", (chunk) => {
      text += chunk;
      if (text.includes("\n")) resolve(text.split("\n")[0].trim());
    });
    s3.once("exit", () => resolve(undefined));
  });
  if (endpoint?.startsWith("http")) env.TEST_S3_ENDPOINT = endpoint;
  else console.error("S3 test server did not start: each test file that needs one starts its own.");
}

// The build gets a canary key: a test greps the client bundle for it, so the key can never ship.
env.BACKDROP_KEY_CANARY = `canary-${randomBytes(12).toString("hex")}`;
const buildStatus = run("npx", ["next", "build"], { ...env, CLAID_API_KEY: env.BACKDROP_KEY_CANARY });
// The key is read at run time, never built in (the canary test proves it): `npm start` may serve this build.
if (buildStatus === 0) markBuilt();

const vitestStatus = run(
  "npx",
  ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${RESULTS}/vitest.json`],
  env,
);
const playwrightStatus = buildStatus === 0 ? run("npx", ["playwright", "test"], env) : 1;

const vitest = readJson(`${RESULTS}/vitest.json`);
const playwright = readJson(`${RESULTS}/playwright.json`);
let passed = 0;
let failed = 0;
if (vitest) {
  passed += vitest.numPassedTests ?? 0;
  failed += (vitest.numFailedTests ?? 0) + (vitest.numRuntimeErrorTestSuites ?? 0);
} else failed += 1;
if (playwright?.stats) {
  passed += (playwright.stats.expected ?? 0) + (playwright.stats.flaky ?? 0);
  failed += playwright.stats.unexpected ?? 0;
} else failed += 1;

s3?.kill("SIGTERM");

const runnerFailed = buildStatus !== 0 || vitestStatus !== 0 || playwrightStatus !== 0;
if (runnerFailed && failed === 0) failed = 1;
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
