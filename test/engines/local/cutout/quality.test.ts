import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";

import { removeBackground } from "@/lib/server/engines/local/cutout";

import type { CutoutScore } from "../../../support/photos/metrics";
import { scoreCutout, truthOutlineDistance } from "../../../support/photos/metrics";
import { productPhotoSet } from "../../../support/photos/product-photos";
import type { RenderedPhoto } from "../../../support/photos/render-photo";
import { renderPhoto } from "../../../support/photos/render-photo";

/**
 * The local cutout measured on the product-on-solid set (rendered in code, ground truth known):
 * IoU of the alpha, anti-aliased edges, decontaminated edge colours, product parts the colour of the
 * background kept, soft contact shadows removed.
 */

type Outcome = {
  photo: RenderedPhoto;
  kind: string;
  score?: CutoutScore;
  /**
   * Product pixels whose true colour is within 20 levels of the background there, more than 3 pixels
   * inside the outline (right at the outline such a pixel cannot be told from the background).
   */
  backgroundColoured: number;
  backgroundColouredKept: number;
  /** Background pixels darkened by a contact shadow by at least 10 %. */
  shadowed: number;
  shadowedRemoved: number;
};

const outcomes: Outcome[] = [];

function mean(values: number[]) {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

beforeAll(async () => {
  for (const [i, spec] of productPhotoSet().entries()) {
    const photo = await renderPhoto(spec, i + 1);
    const result = await removeBackground(photo.bytes);
    const outcome: Outcome = {
      photo,
      kind: result.kind,
      backgroundColoured: 0,
      backgroundColouredKept: 0,
      shadowed: 0,
      shadowedRemoved: 0,
    };
    if (result.kind === "cutout") {
      const original = await sharp(photo.bytes).removeAlpha().raw().toBuffer();
      const rgba = result.image.data;
      outcome.score = scoreCutout(photo, rgba, original);
      const outline = truthOutlineDistance(photo, 3);
      for (let p = 0; p < photo.width * photo.height; p++) {
        const kept = rgba[p * 4 + 3]! >= 128;
        if (photo.alpha[p] === 255 && outline[p] === 255) {
          const d = Math.hypot(
            photo.foreground[p * 3]! - photo.background[p * 3]!,
            photo.foreground[p * 3 + 1]! - photo.background[p * 3 + 1]!,
            photo.foreground[p * 3 + 2]! - photo.background[p * 3 + 2]!,
          );
          if (d < 20) {
            outcome.backgroundColoured++;
            if (kept) outcome.backgroundColouredKept++;
          }
        } else if (photo.alpha[p] === 0 && photo.shadow[p]! >= 26) {
          outcome.shadowed++;
          if (!kept) outcome.shadowedRemoved++;
        }
      }
    }
    outcomes.push(outcome);
  }
}, 900_000);

describe("local cutout quality on product-on-solid photos", () => {
  it("runs on at least 40 photos of several sizes up to 2 megapixels, and cuts every one out", () => {
    expect(outcomes.length).toBeGreaterThanOrEqual(40);
    const sizes = new Set(outcomes.map((o) => `${o.photo.width}x${o.photo.height}`));
    expect(sizes.size).toBeGreaterThanOrEqual(8);
    expect(Math.max(...outcomes.map((o) => o.photo.width * o.photo.height))).toBeLessThanOrEqual(2_000_000);
    expect(outcomes.filter((o) => o.kind !== "cutout").map((o) => o.photo.spec.name)).toEqual([]);
  });

  it("matches the true alpha: mean IoU at least 0.97, worst at least 0.93", () => {
    const ious = outcomes.map((o) => o.score!.iou);
    const worst = outcomes.reduce((a, b) => (a.score!.iou <= b.score!.iou ? a : b));
    expect(mean(ious)).toBeGreaterThanOrEqual(0.97);
    expect(worst.score!.iou, worst.photo.spec.name).toBeGreaterThanOrEqual(0.93);
  });

  it("gives anti-aliased edges that follow the true partial alpha (a hard mask scores about 0.29)", () => {
    const soft = outcomes.map((o) => o.score!.softEdgeError);
    expect(mean(soft)).toBeLessThanOrEqual(0.12);
    expect(mean(outcomes.map((o) => o.score!.edgeError))).toBeLessThanOrEqual(0.05);
  });

  it("gives partly transparent pixels the product's colour, not a halo of the old background", () => {
    const error = mean(outcomes.map((o) => o.score!.edgeColourError));
    const halo = mean(outcomes.map((o) => o.score!.edgeColourNaive));
    expect(halo).toBeGreaterThan(60);
    expect(error).toBeLessThanOrEqual(25);
    expect(error).toBeLessThanOrEqual(0.25 * halo);
  });

  it("keeps white labels and white caps (also caps running off the top edge) on white backgrounds", () => {
    const onWhite = (o: Outcome) => o.photo.spec.backdrop.colour.every((c) => c >= 240);
    const cases = outcomes.filter(
      (o) => onWhite(o) && o.photo.spec.tags?.some((t) => t === "white-cap" || t === "white-label"),
    );
    expect(cases.length).toBeGreaterThanOrEqual(8);
    const offTop = cases.filter((o) => o.photo.spec.tags?.includes("touches-edge"));
    expect(offTop.length).toBeGreaterThanOrEqual(3);
    for (const o of cases) {
      expect(o.backgroundColoured, o.photo.spec.name).toBeGreaterThan(300);
      expect(o.backgroundColouredKept / o.backgroundColoured, o.photo.spec.name).toBeGreaterThanOrEqual(0.97);
    }
  });

  it("removes soft contact shadows for the most part (they are background)", () => {
    const shadowed = outcomes.filter((o) => o.shadowed > 0);
    expect(shadowed.length).toBeGreaterThanOrEqual(20);
    const removed =
      shadowed.reduce((s, o) => s + o.shadowedRemoved, 0) / shadowed.reduce((s, o) => s + o.shadowed, 0);
    expect(removed).toBeGreaterThanOrEqual(0.9);
    for (const o of shadowed)
      expect(o.shadowedRemoved / o.shadowed, o.photo.spec.name).toBeGreaterThanOrEqual(0.6);
  });
});
