// `npm start`: it builds only when the sources changed, and a stop signal stops the server it started.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { buildInputsHash, isBuilt } from "@/scripts/build-stamp.mjs";

import { freePort } from "../support/free-port";

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "backdrop-stamp-"));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe("the build stamp", () => {
  it("changes with any build input and with nothing else", () => {
    const root = tree({
      "app/page.tsx": "export default 1",
      "lib/scene/contract.ts": "a",
      "package-lock.json": "{}",
      "README.md": "docs",
    });
    const before = buildInputsHash(root);
    expect(buildInputsHash(root)).toBe(before);

    // Not inputs: documentation, data, dependencies, the build itself.
    fs.writeFileSync(path.join(root, "README.md"), "other docs");
    fs.mkdirSync(path.join(root, "data"));
    fs.writeFileSync(path.join(root, "data", "x"), "1");
    fs.mkdirSync(path.join(root, "lib", "node_modules"));
    fs.writeFileSync(path.join(root, "lib", "node_modules", "x.js"), "1");
    expect(buildInputsHash(root)).toBe(before);

    fs.writeFileSync(path.join(root, "lib/scene/contract.ts"), "b");
    const edited = buildInputsHash(root);
    expect(edited).not.toBe(before);
    fs.renameSync(path.join(root, "lib/scene/contract.ts"), path.join(root, "lib/scene/renamed.ts"));
    expect(buildInputsHash(root)).not.toBe(edited);
    fs.writeFileSync(path.join(root, "package-lock.json"), '{"v":2}');
    expect(buildInputsHash(root)).not.toBe(edited);
  });
});

describe("npm start", () => {
  it("serves the existing build without building, and SIGTERM stops the server with exit 0", async () => {
    // `npm test` builds first and stamps that build; without it this would build here and now.
    expect(isBuilt(), "no stamped build in .next: run `npm test` (or `npm start` once)").toBe(true);
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "backdrop-start-"));
    const child = spawn(process.execPath, ["scripts/start.mjs"], {
      env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | string>((r) => child.on("exit", (c, s) => r(c ?? s ?? -1)));
    try {
      await expect
        .poll(
          async () =>
            (await fetch(`http://127.0.0.1:${port}/api/health`)
              .then((r) => r.status)
              .catch(() => 0)) === 200,
          { timeout: 60_000, interval: 200 },
        )
        .toBe(true);
      expect(output).not.toContain("Building");
      child.kill("SIGTERM");
      expect(await exited, output).toBe(0);
      expect(output).toContain("stopping");
      // Nothing of it is left listening.
      await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();
    } finally {
      child.kill("SIGKILL");
    }
  }, 90_000);
});
