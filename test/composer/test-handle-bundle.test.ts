// The canvas's test handle (`window.__backdropStage`, `window.__backdropCanvas`) belongs to the tests,
// which install it themselves (test/support/canvas-handle.ts): no build of the app may carry it.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { clientBuildFiles, STATIC } from "../support/client-bundle";

describe("the client bundle", () => {
  it("has no canvas test handle", () => {
    const scripts = clientBuildFiles().filter((f) => f.endsWith(".js"));
    // The canvas itself is in the bundle: the check would pass vacuously on a build without it.
    expect(scripts.some((f) => fs.readFileSync(f, "utf8").includes("frame-clip"))).toBe(true);
    const carrying = scripts.filter((f) => /__backdrop(Stage|Canvas)/.test(fs.readFileSync(f, "utf8")));
    expect(carrying.map((f) => path.relative(STATIC, f))).toEqual([]);
  });
});
