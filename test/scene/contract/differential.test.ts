import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { sceneCreateRequest } from "@/lib/scene/contract";

import { publishedValidator } from "../../support/published-schema";
import { sceneCreateBody } from "./arbitraries";
import { neutralize } from "./differences";

const published = publishedValidator();
const ours = (body: unknown) => sceneCreateRequest.safeParse(body).success;

describe("scene/create contract against the published JSON schema", () => {
  it("judges 3,000 generated bodies as ajv does, but for the listed deliberate differences", () => {
    let accepted = 0;
    let explained = 0;
    fc.assert(
      fc.property(sceneCreateBody, (body) => {
        const verdict = ours(body);
        if (verdict) accepted++;
        if (verdict === published(body)) return true;
        explained++;
        const neutral = neutralize(body);
        return ours(neutral) === published(neutral);
      }),
      { numRuns: 3000, seed: 20261124 },
    );
    // Both kinds must be well represented, or the agreement says little.
    expect(accepted).toBeGreaterThan(300);
    expect(3000 - accepted).toBeGreaterThan(300);
    expect(explained).toBeLessThan(1500);
  });

  it("agrees on fresh random seeds too", () => {
    fc.assert(
      fc.property(sceneCreateBody, (body) => {
        if (ours(body) === published(body)) return true;
        const neutral = neutralize(body);
        return ours(neutral) === published(neutral);
      }),
      { numRuns: 1000 },
    );
  });

  it("parses every accepted body to exactly the same JSON (nothing added or dropped)", () => {
    fc.assert(
      fc.property(sceneCreateBody, (body) => {
        const parsed = sceneCreateRequest.safeParse(body);
        return !parsed.success || isDeepStrictEqual(parsed.data, body);
      }),
      { numRuns: 1000 },
    );
  });
});
