import { beforeAll, describe, expect, it } from "vitest";

import { ASPECT_RATIOS } from "@/lib/scene/aspect-ratios";
import type { PreparedProduct } from "@/lib/server/integrity";
import { checkIntegrity, prepareProduct } from "@/lib/server/integrity";

import { testConfig } from "../support/config";
import type { AspectDrafts } from "./aspect-drafts";
import { aspectDrafts, aspectDraftSpecs } from "./aspect-drafts";

/**
 * The local engine places the product exactly where the request says, at every aspect ratio, so the
 * check must find each of its drafts intact where the request put it: within a pixel or so and at
 * scale 1, whether the frame is square, wide or tall.
 */
/**
 * How closely the pose is measured. A painted product is aligned on its detail. A product of one flat
 * colour that fills its box is aligned on its outline alone, which its anti-aliased edge and the soft
 * shadow beside it blur: it is measured to a few pixels and percent (up to 5.6 px here, a box on a
 * plain blue backdrop), well inside the limits that call an output moved.
 */
const PRECISION = { painted: { offset: 3, scale: 0.01 }, flat: { offset: 6, scale: 0.045 } } as const;

const config = testConfig();
const specs = aspectDraftSpecs();
let drafts: AspectDrafts;
const prepared = new Map<string, PreparedProduct>();

beforeAll(async () => {
  drafts = await aspectDrafts(config);
  for (const [name, { cutout }] of Object.entries(drafts.products)) {
    const product = await prepareProduct(cutout);
    if (!product) throw new Error(`${name} did not prepare`);
    prepared.set(name, product);
  }
}, 60_000);

describe("the local engine's drafts at every aspect ratio", () => {
  it("cover every ratio of the contract, rotations, and every placement checked", () => {
    const ratios = new Set(specs.map((s) => s.scene.aspect_ratio).filter(Boolean));
    expect(ratios).toEqual(new Set(ASPECT_RATIOS));
    expect(new Set(specs.map((s) => s.object.placement_type ?? "absolute"))).toEqual(
      new Set(["absolute", "padding", "original"]),
    );
    expect(new Set(specs.map((s) => s.object.rotation_degree ?? 0)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(specs.map((s) => s.object.scale).filter(Boolean)).size).toBeGreaterThanOrEqual(5);
  });

  it.each(specs.map((s) => [s.name, s] as const))("%s is intact", async (_name, spec) => {
    const draft = await drafts.render(spec);
    const product = prepared.get(spec.product);
    if (!product) throw new Error(`${spec.product} is not prepared`);
    const result = await checkIntegrity({ request: draft.request, output: draft.output, product });
    const said = JSON.stringify(result);
    expect(result.verdict, said).toBe("intact");
    if (result.verdict === "unknown") return;
    const { offset, scale } = PRECISION[spec.product];
    expect(result.offset_px, said).toBeLessThanOrEqual(offset);
    expect(Math.abs(result.scale_ratio - 1), said).toBeLessThanOrEqual(scale);
  });
});
