import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { IntegrityResult } from "@/lib/server/integrity";
import { checkIntegrity, prepareProduct } from "@/lib/server/integrity";

import { testConfig } from "../support/config";
import type { Alteration, IntegrityCase } from "./cases";
import { casesForProduct, PRODUCTS } from "./cases";
import type { EngineCase } from "./engine-cases";
import { engineCases } from "./engine-cases";
import { expectedVerdict, judged } from "./scoring";

/**
 * The measured test set (see `cases.ts`): products placed exactly, some altered or moved, all relit,
 * shadowed and compressed. What the check must achieve on it: at least 95 % of altered and moved
 * outputs detected (moved and scaled ones as `moved`), at most 5 % of intact ones flagged.
 */
type Judged = Omit<IntegrityCase, "output" | "product"> & { result: IntegrityResult };

const judgedCases: Judged[] = [];

beforeAll(async () => {
  for (let i = 0; i < PRODUCTS; i++) {
    const cases = await casesForProduct(i);
    const first = cases[0];
    if (!first) throw new Error(`product ${i} made no cases`);
    const product = await prepareProduct(first.product);
    if (!product) throw new Error(`product ${i} did not prepare`);
    for (const { output, product: _cutout, ...rest } of cases) {
      judgedCases.push({ ...rest, result: await checkIntegrity({ request: rest.request, output, product }) });
    }
  }
}, 600_000);

const rate = (of: Judged[], ok: (c: Judged) => boolean) => of.filter(ok).length / Math.max(1, of.length);
const right = (c: Judged) => judged(c, c.result);
const intact = () => judgedCases.filter((c) => c.alteration === "none");
const changed = () => judgedCases.filter((c) => c.alteration !== "none");
const byAlteration = (a: Alteration) => judgedCases.filter((c) => c.alteration === a);

afterAll(() => {
  const wrong = judgedCases.filter((c) => !right(c));
  console.info(
    `integrity: ${(100 * rate(changed(), right)).toFixed(1)} % of ${changed().length} altered or moved ` +
      `detected, ${(100 * (1 - rate(intact(), right))).toFixed(1)} % of ${intact().length} intact flagged` +
      wrong.map((c) => `\n  wrong: ${c.name} → ${JSON.stringify(c.result)} (${c.conditions})`).join(""),
  );
});

describe("the measured test set", () => {
  it("has at least 100 intact and 100 altered or moved outputs across placements, ratios and rotations", () => {
    expect(intact().length).toBeGreaterThanOrEqual(100);
    expect(changed().length).toBeGreaterThanOrEqual(100);
    expect(new Set(judgedCases.map((c) => c.placementKind))).toEqual(
      new Set(["absolute", "padding", "original"]),
    );
    const ratios = new Set(
      judgedCases.map((c) => ("aspect_ratio" in c.request.scene ? c.request.scene.aspect_ratio : "")),
    );
    expect(ratios.size).toBeGreaterThanOrEqual(6);
    const rotations = new Set(
      judgedCases.map((c) => ("rotation_degree" in c.request.object ? c.request.object.rotation_degree : 0)),
    );
    expect(rotations.size).toBeGreaterThanOrEqual(5);
    for (const a of [
      "label_text",
      "label_colour",
      "part_recoloured",
      "warped",
      "piece_missing",
      "moved",
      "scaled",
    ] as const) {
      expect(byAlteration(a).length, a).toBeGreaterThanOrEqual(10);
    }
  });

  it("detects at least 95 % of altered and moved outputs", () => {
    expect(rate(changed(), right)).toBeGreaterThanOrEqual(0.95);
  });

  it("calls at least 95 % of moved and scaled outputs moved, not altered", () => {
    const moved = judgedCases.filter((c) => expectedVerdict(c) === "moved");
    expect(rate(moved, (c) => c.result.verdict === "moved")).toBeGreaterThanOrEqual(0.95);
  });

  it("detects every kind of alteration, each at least 90 % of the time", () => {
    for (const a of ["label_text", "label_colour", "part_recoloured", "warped", "piece_missing"] as const) {
      expect(rate(byAlteration(a), right), a).toBeGreaterThanOrEqual(0.9);
    }
  });

  it("flags at most 5 % of intact outputs", () => {
    expect(1 - rate(intact(), right)).toBeLessThanOrEqual(0.05);
  });

  // Relit, shadowed and compressed: within 3 output pixels (5 for intact ones) and 1.5 % (the focused
  // tests are tighter).
  it("measures how far moved products were moved, and how much scaled ones were scaled", () => {
    for (const c of byAlteration("moved")) {
      if (c.result.verdict === "unknown" || !c.shift) continue;
      expect(Math.hypot(c.result.offset.x - c.shift.x, c.result.offset.y - c.shift.y), c.name).toBeLessThan(
        3,
      );
    }
    for (const c of byAlteration("scaled")) {
      if (c.result.verdict === "unknown" || !c.scale) continue;
      expect(Math.abs(c.result.scale_ratio - c.scale), c.name).toBeLessThan(0.015);
    }
    for (const c of intact()) {
      if (c.result.verdict === "unknown") continue;
      // Relit and compressed, a product found by its outline alone may read a few pixels off.
      expect(c.result.offset_px, c.name).toBeLessThan(5);
      expect(Math.abs(c.result.scale_ratio - 1), c.name).toBeLessThan(0.015);
    }
  });
});

describe("the local engine's own drafts", () => {
  const config = testConfig();
  let drafts: Array<EngineCase & { result: IntegrityResult }> = [];

  beforeAll(async () => {
    const cases = await engineCases(config);
    drafts = [];
    for (const c of cases) drafts.push({ ...c, result: await checkIntegrity(c) });
  }, 300_000);

  it("covers several scenes, placements and formats", () => {
    expect(drafts.length).toBeGreaterThanOrEqual(12);
    expect(new Set(drafts.map((d) => d.request.object.placement_type ?? "absolute"))).toEqual(
      new Set(["absolute", "padding", "original"]),
    );
  });

  it("are all intact, where the request put them", () => {
    for (const d of drafts) {
      expect(d.result.verdict, `${d.name}: ${JSON.stringify(d.result)}`).toBe("intact");
      if (d.result.verdict === "unknown") continue;
      expect(d.result.offset_px, d.name).toBeLessThanOrEqual(2);
      expect(Math.abs(d.result.scale_ratio - 1), d.name).toBeLessThanOrEqual(0.01);
    }
  });
});
