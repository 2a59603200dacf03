// A real S3-compatible server for tests: the one `TEST_S3_ENDPOINT` names (`npm test` starts it with
// scripts/s3-test-server.mjs), else one this test file starts itself on a free loopback port.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");
export const TEST_BUCKET = "backdrop-test";
/** Every storage test runs on both places files can live, as database tests run on both drivers. */
export const BACKENDS = ["local", "s3"] as const;
/** s3rver's fixed credentials; the SDK reads them from the standard variables like any other. */
export const S3_TEST_CREDENTIALS = { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER" };

export type TestBucket = {
  endpoint: string;
  /** The environment that keeps files under a prefix of their own in the test bucket. */
  env: (prefix?: string) => Record<string, string>;
  close: () => Promise<void>;
};

/** Starts scripts/s3-test-server.mjs and resolves with its endpoint once it listens. */
export async function startS3Server(): Promise<{ endpoint: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ["--openssl-legacy-provider", path.join(ROOT, "scripts/s3-test-server.mjs")],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const endpoint = await new Promise<string>((resolve, reject) => {
    let text = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const line = text.split("\n")[0];
      if (text.includes("\n") && line) resolve(line.trim());
    });
    child.once("exit", (code) => reject(new Error(`the S3 test server exited with ${code}`)));
  });
  return { endpoint, child };
}

export async function testBucket(): Promise<TestBucket> {
  Object.assign(process.env, S3_TEST_CREDENTIALS);
  let child: ChildProcess | undefined;
  let endpoint = process.env.TEST_S3_ENDPOINT;
  if (!endpoint) ({ endpoint, child } = await startS3Server());
  const url = endpoint;
  return {
    endpoint: url,
    env: (prefix = `t-${randomUUID().slice(0, 8)}`) => ({
      STORAGE_URL: `s3://${TEST_BUCKET}/${prefix}`,
      S3_ENDPOINT: url,
      S3_FORCE_PATH_STYLE: "1",
      S3_REGION: "us-east-1",
      ...S3_TEST_CREDENTIALS,
    }),
    close: async () => {
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
