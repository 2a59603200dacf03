// The canvas's test handle (`window.__backdropStage`, `window.__backdropCanvas`) belongs to the tests,
// which install it themselves (test/support/canvas-handle.ts): no build of the app may carry it.
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
  it("has no canvas test handle", () => {
    expect(fs.existsSync(STATIC), ".next/static is missing: build the app (npm test does) first").toBe(true);
    const scripts = files(STATIC).filter((f) => f.endsWith(".js"));
    expect(scripts.length, "the build has no client scripts").toBeGreaterThan(0);
    // The canvas itself is in the bundle: the check would pass vacuously on a build without it.
    expect(scripts.some((f) => fs.readFileSync(f, "utf8").includes("frame-clip"))).toBe(true);
    const carrying = scripts.filter((f) => /__backdrop(Stage|Canvas)/.test(fs.readFileSync(f, "utf8")));
    expect(carrying.map((f) => path.relative(STATIC, f))).toEqual([]);
  });
});
