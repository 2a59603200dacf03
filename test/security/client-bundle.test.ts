// The Claid key must never reach the browser. `npm test` builds the app with a canary key
// (BACKDROP_KEY_CANARY as CLAID_API_KEY); this test looks for it in everything the browser can load.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const STATIC = path.resolve(import.meta.dirname, "../../.next/static");

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? files(full) : [full];
  });
}

describe("the client bundle", () => {
  it("does not contain the Claid key the app was built with", () => {
    const key = process.env.BACKDROP_KEY_CANARY;
    expect(
      key,
      "BACKDROP_KEY_CANARY is not set: run `npm test`, which builds with a canary key",
    ).toBeTruthy();
    expect(
      fs.existsSync(STATIC),
      ".next/static is missing: build the app (npm test does) before this test",
    ).toBe(true);
    const all = files(STATIC);
    expect(all.filter((f) => f.endsWith(".js")).length, "the build has no client scripts").toBeGreaterThan(0);
    const leaks = all.filter((file) => fs.readFileSync(file).includes(key!));
    expect(leaks).toEqual([]);
  });
});
