import { describe, expect, test } from "vitest";

import { viewOf, ZOOM_STEP } from "@/lib/composer/camera";
import { frameOf } from "@/lib/composer/frame";
import { serialize } from "@/lib/composer/persist";
import type { ComposerState } from "@/lib/composer/reducer";
import { composerReducer } from "@/lib/composer/reducer";
import { keyAction } from "@/lib/composer/shortcuts";
import { fitView } from "@/lib/composer/view";

import { present, run, withProduct } from "./support";

const viewport = { width: 800, height: 600 };
const view = (state: ComposerState) => viewOf(state.camera, frameOf(present(state), state.images));
/** The frame point under a screen point of the canvas. */
const frameAt = (state: ComposerState, screen: { x: number; y: number }) => {
  const v = view(state);
  return { x: (screen.x - v.x) / v.zoom, y: (screen.y - v.y) / v.zoom };
};
const key = (k: string) =>
  keyAction({ key: k, shiftKey: false, metaKey: false, ctrlKey: false, altKey: false });

describe("the canvas camera", () => {
  test("before the canvas has measured itself nothing is drawn, at 100 %", () => {
    expect(view(withProduct())).toEqual({ zoom: 1, x: 0, y: 0 });
  });

  test("once measured, the frame is fitted and follows the canvas's size", () => {
    const state = run(withProduct(), { type: "viewportResized", size: viewport });
    expect(view(state)).toEqual(fitView(viewport, { width: 1024, height: 1024 }));
    const wider = run(state, { type: "viewportResized", size: { width: 1200, height: 900 } });
    expect(view(wider)).toEqual(fitView({ width: 1200, height: 900 }, { width: 1024, height: 1024 }));
  });

  test("zoom buttons and keys zoom around the canvas's middle; 0 fits again", () => {
    const fitted = run(withProduct(), { type: "viewportResized", size: viewport });
    const middle = { x: 400, y: 300 };
    const zoomed = run(fitted, key("+")!);
    expect(view(zoomed).zoom).toBeCloseTo(view(fitted).zoom * ZOOM_STEP, 12);
    expect(frameAt(zoomed, middle).x).toBeCloseTo(frameAt(fitted, middle).x, 9);
    expect(frameAt(zoomed, middle).y).toBeCloseTo(frameAt(fitted, middle).y, 9);
    const out = run(zoomed, key("-")!, key("-")!);
    expect(view(out).zoom).toBeCloseTo(view(fitted).zoom / ZOOM_STEP, 12);
    expect(view(run(out, key("0")!))).toEqual(view(fitted));
  });

  test("the wheel zooms around the pointer: the frame point under it stays under it", () => {
    const fitted = run(withProduct(), { type: "viewportResized", size: viewport });
    const pointer = { x: 250, y: 180 };
    const zoomed = run(fitted, { type: "zoomBy", factor: 1.7, at: pointer });
    expect(frameAt(zoomed, pointer).x).toBeCloseTo(frameAt(fitted, pointer).x, 9);
    expect(frameAt(zoomed, pointer).y).toBeCloseTo(frameAt(fitted, pointer).y, 9);
  });

  test("a zoomed view belongs to its frame: another frame is fitted, the first one's view comes back", () => {
    const zoomed = run(
      withProduct(),
      { type: "viewportResized", size: viewport },
      { type: "zoomBy", factor: 2 },
    );
    const portrait = run(zoomed, { type: "setSceneField", field: "aspect_ratio", value: "4:5" });
    expect(view(portrait)).toEqual(fitView(viewport, frameOf(present(portrait), portrait.images)));
    const back = run(portrait, { type: "setSceneField", field: "aspect_ratio", value: "1:1" });
    expect(view(back)).toEqual(view(zoomed));
  });

  test("the camera is not part of the document: no undo step, not undone, not saved", () => {
    const before = run(withProduct(), { type: "viewportResized", size: viewport });
    const zoomed = run(before, { type: "zoomBy", factor: 2 });
    expect(zoomed.history).toBe(before.history);
    expect(view(run(zoomed, { type: "undo" }))).toEqual(view(zoomed));
    expect(serialize(zoomed)).toBe(serialize(before));
  });

  test("restoring a saved composer keeps what the canvas measured", () => {
    const measured = run(withProduct(), { type: "viewportResized", size: viewport });
    const restored = composerReducer(measured, { type: "restore", state: withProduct() });
    expect(restored.camera.viewport).toEqual(viewport);
  });

  test("the same size measured again changes nothing", () => {
    const measured = run(withProduct(), { type: "viewportResized", size: viewport });
    expect(run(measured, { type: "viewportResized", size: { ...viewport } })).toBe(measured);
  });
});
