// The Claid key must never reach the browser. `npm test` builds the app with a canary key
// (BACKDROP_KEY_CANARY as CLAID_API_KEY); this test looks for it in everything the browser can load.
import fs from "node:fs";
import { describe, expect, it } from "vitest";

import { clientBuildFiles } from "../support/client-bundle";

describe("the client bundle", () => {
  it("does not contain the Claid key the app was built with", () => {
    const key = process.env.BACKDROP_KEY_CANARY;
    expect(
      key,
      "BACKDROP_KEY_CANARY is not set: run `npm test`, which builds with a canary key",
    ).toBeTruthy();
    const all = clientBuildFiles();
    const leaks = all.filter((file) => fs.readFileSync(file).includes(key!));
    expect(leaks).toEqual([]);
  });
});
