// A throwaway S3-compatible server (s3rver, from npm) on loopback for the test suite. Prints its
// endpoint on stdout, then nothing more; stops and deletes its files on SIGTERM or SIGINT.
//   node --openssl-legacy-provider scripts/s3-test-server.mjs [port]
// The flag matters: s3rver makes list continuation tokens with DES, which OpenSSL 3 keeps in its
// legacy provider. Credentials: access key S3RVER, secret S3RVER. Bucket: backdrop-test (more are
// made by CreateBucket).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import S3rver from "s3rver";

export const TEST_BUCKET = "backdrop-test";

const directory = fs.mkdtempSync(path.join(os.tmpdir(), "backdrop-s3-"));
const server = new S3rver({
  address: "127.0.0.1",
  port: Number(process.argv[2] ?? 0),
  silent: true,
  directory,
  configureBuckets: [{ name: TEST_BUCKET }],
});
const { port } = await server.run();
process.stdout.write(`http://127.0.0.1:${port}\n`);

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void server.close().finally(() => {
      fs.rmSync(directory, { recursive: true, force: true });
      process.exit(0);
    });
  });
}
// The suite that started it may die without a signal: its end of stdin closing stops the server too.
process.stdin.on("end", () => process.kill(process.pid, "SIGTERM"));
process.stdin.resume();
