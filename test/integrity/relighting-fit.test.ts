import { describe, expect, it } from "vitest";

import { channelFit } from "@/lib/server/integrity/pose-cost";

/** The bounded relighting fit of one channel, from the sums over a mask of template and output values. */
function fitOf(template: number[], output: number[]) {
  let so = 0;
  let soo = 0;
  let st = 0;
  let stt = 0;
  let sot = 0;
  template.forEach((t, i) => {
    const o = output[i] ?? 0;
    so += o;
    soo += o * o;
    st += t;
    stt += t * t;
    sot += o * t;
  });
  return channelFit(template.length, so, soo, st, stt, sot, { min: 0.5, max: 1.6 }, 30);
}

describe("the relighting fit of one channel", () => {
  it("explains a flat colour drawn over itself, whatever the rounding noise in the drawing", () => {
    // A flat channel as a Float32 drawing carries it: a few millionths of variance, pure noise.
    const template = Array.from({ length: 400 }, (_, i) => Math.fround(178.755 + ((i * 37) % 11) * 2e-3));
    const output = template.map(() => 178.7);
    expect(fitOf(template, output).residual).toBeLessThan(0.01);
  });

  it("finds the best gain when the offset is at its bound", () => {
    const template = Array.from({ length: 100 }, (_, i) => 100 + i);
    const output = template.map((t) => 0.9 * t + 45);
    const fit = fitOf(template, output);
    expect(fit.offset).toBe(30);
    // With the offset held at 30, the gain takes up what it can (≈ 1.03 here), not 0.9.
    expect(fit.gain).toBeGreaterThan(0.95);
    expect(fit.residual).toBeLessThan(fitOfFixed(template, output, 0.9, 30));
  });

  it("does not explain a colour the bounds cannot reach", () => {
    const template = Array.from({ length: 100 }, () => 60);
    const output = template.map(() => 200);
    expect(fitOf(template, output).residual).toBeGreaterThan(1000);
  });
});

function fitOfFixed(template: number[], output: number[], gain: number, offset: number): number {
  return (
    template.reduce((sum, t, i) => sum + ((output[i] ?? 0) - gain * t - offset) ** 2, 0) / template.length
  );
}
