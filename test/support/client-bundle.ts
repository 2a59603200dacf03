// What the browser can load of the built app: every file under .next/static.
import fs from "node:fs";
import path from "node:path";
import { expect } from "vitest";

export const STATIC = path.resolve(import.meta.dirname, "../../.next/static");

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? files(full) : [full];
  });
}

/** Every file of the client build; fails when there is no build or it has no scripts. */
export function clientBuildFiles(): string[] {
  expect(fs.existsSync(STATIC), ".next/static is missing: build the app (npm test does) first").toBe(true);
  const all = files(STATIC);
  expect(all.filter((f) => f.endsWith(".js")).length, "the build has no client scripts").toBeGreaterThan(0);
  return all;
}
