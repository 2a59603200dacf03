/**
 * Moving around the canvas like Figma, driven through the pure rules and the reducer (no DOM): the
 * wheel scrolls, Ctrl/Cmd + wheel zooms at the pointer, space- and middle-drag pan, Shift+1 fits,
 * Shift+2 zooms to the product, Ctrl/Cmd + = / − / 0 zoom the canvas, and the automatic view keeps a
 * product that sticks out of the frame (and its selection box) in view.
 */
import { describe, expect, test } from "vitest";

import { viewOf } from "@/lib/composer/camera";
import { contentBounds, frameOf, productBoundsOf, subjectOf } from "@/lib/composer/frame";
import { panCursor, panDelta, startsPan, wheelGesture, type WheelInput } from "@/lib/composer/navigation";
import type { ComposerAction, ComposerState } from "@/lib/composer/reducer";
import { keyAction, type KeyInput } from "@/lib/composer/shortcuts";
import { fitView } from "@/lib/composer/view";

import { present, run, withProduct } from "./support";

const viewport = { width: 800, height: 600 };
const measured = () => run(withProduct(), { type: "viewportResized", size: viewport });
const view = (state: ComposerState) => {
  const subject = subjectOf(present(state), state.images);
  return viewOf(state.camera, subject.frame, subject.bounds);
};
const toScreen = (state: ComposerState, p: { x: number; y: number }) => {
  const v = view(state);
  return { x: v.x + p.x * v.zoom, y: v.y + p.y * v.zoom };
};
const wheel = (input: Partial<WheelInput>): WheelInput => ({
  deltaX: 0,
  deltaY: 0,
  deltaMode: 0,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  ...input,
});
const press = (key: string, extra: Partial<KeyInput> = {}, typing = false) =>
  keyAction({ key, shiftKey: false, metaKey: false, ctrlKey: false, altKey: false, ...extra }, { typing });
const apply = (state: ComposerState, action: ComposerAction | undefined) => {
  expect(action).toBeDefined();
  return run(state, action!);
};

describe("the wheel", () => {
  test("scrolls the canvas: the frame moves against the wheel, sideways with Shift", () => {
    expect(wheelGesture(wheel({ deltaY: 120 }))).toEqual({ type: "pan", delta: { x: -0, y: -120 } });
    expect(wheelGesture(wheel({ deltaX: 30, deltaY: -10 }))).toEqual({
      type: "pan",
      delta: { x: -30, y: 10 },
    });
    expect(wheelGesture(wheel({ deltaY: 100, shiftKey: true }))).toEqual({
      type: "pan",
      delta: { x: -100, y: 0 },
    });
    // Wheels that count in lines are counted in pixels.
    expect(wheelGesture(wheel({ deltaY: 3, deltaMode: 1 }))).toEqual({
      type: "pan",
      delta: { x: -0, y: -48 },
    });
  });

  test("with Ctrl or Cmd (and a pinch) zooms: in for up, out for down, a notch at most ~1.35×", () => {
    const zoomIn = wheelGesture(wheel({ deltaY: -100, ctrlKey: true }));
    const zoomOut = wheelGesture(wheel({ deltaY: 100, metaKey: true }));
    const pinch = wheelGesture(wheel({ deltaY: -2, ctrlKey: true }));
    if (zoomIn.type !== "zoom" || zoomOut.type !== "zoom" || pinch.type !== "zoom")
      throw new Error("not zoom");
    expect(zoomIn.factor).toBeGreaterThan(1.3);
    expect(zoomIn.factor).toBeLessThan(1.4);
    expect(zoomOut.factor).toBeCloseTo(1 / zoomIn.factor, 12);
    expect(pinch.factor).toBeGreaterThan(1);
    expect(pinch.factor).toBeLessThan(1.02);
  });

  test("a scroll moves the view by exactly its delta and keeps the zoom", () => {
    const fitted = measured();
    const gesture = wheelGesture(wheel({ deltaX: 40, deltaY: 25 }));
    if (gesture.type !== "pan") throw new Error("not a pan");
    const moved = run(fitted, { type: "panBy", delta: gesture.delta });
    expect(view(moved)).toEqual({ ...view(fitted), x: view(fitted).x - 40, y: view(fitted).y - 25 });
    expect(moved.history).toBe(fitted.history);
  });
});

describe("panning by hand", () => {
  test("the middle button always pans; the primary one only while space is held", () => {
    expect(startsPan({ button: 1, spaceHeld: false })).toBe(true);
    expect(startsPan({ button: 0, spaceHeld: true })).toBe(true);
    expect(startsPan({ button: 0, spaceHeld: false })).toBe(false);
    expect(startsPan({ button: 2, spaceHeld: true })).toBe(false);
  });

  test("the frame follows the pointer: a frame point under it stays under it", () => {
    const fitted = measured();
    const start = { x: 300, y: 200 };
    const now = { x: 420, y: 150 };
    const grabbed = {
      x: (start.x - view(fitted).x) / view(fitted).zoom,
      y: (start.y - view(fitted).y) / view(fitted).zoom,
    };
    const panned = run(fitted, { type: "panBy", delta: panDelta(start, now) });
    const under = toScreen(panned, grabbed);
    expect(under.x).toBeCloseTo(now.x, 9);
    expect(under.y).toBeCloseTo(now.y, 9);
  });

  test("the cursor is an open hand while space is held, a closed one while panning", () => {
    expect(panCursor({ spaceHeld: false, panning: false })).toBeUndefined();
    expect(panCursor({ spaceHeld: true, panning: false })).toBe("grab");
    expect(panCursor({ spaceHeld: true, panning: true })).toBe("grabbing");
    expect(panCursor({ spaceHeld: false, panning: true })).toBe("grabbing");
  });
});

describe("keys", () => {
  test("Shift+1 fits, by key or by the physical key on any layout", () => {
    const panned = run(measured(), { type: "panBy", delta: { x: 50, y: 0 } });
    expect(view(apply(panned, press("!", { shiftKey: true })))).toEqual(view(measured()));
    expect(view(apply(panned, press("1", { shiftKey: true, code: "Digit1" })))).toEqual(view(measured()));
  });

  test("Shift+2 zooms to the product: its box fills the canvas, centred", () => {
    const state = run(
      measured(),
      { type: "setPlacementValue", field: "scale", value: 0.3 },
      { type: "setPlacementValue", field: "x", value: 0.25 },
    );
    const zoomed = apply(state, press("@", { shiftKey: true, code: "Digit2" }));
    const box = productBoundsOf(present(zoomed), zoomed.images, frameOf(present(zoomed), zoomed.images))!;
    const topLeft = toScreen(zoomed, { x: box.x, y: box.y });
    const bottomRight = toScreen(zoomed, { x: box.x + box.width, y: box.y + box.height });
    expect((topLeft.x + bottomRight.x) / 2).toBeCloseTo(viewport.width / 2, 6);
    expect((topLeft.y + bottomRight.y) / 2).toBeCloseTo(viewport.height / 2, 6);
    // The box's longer side fills the canvas less its margin.
    expect(
      Math.max(
        bottomRight.x - topLeft.x - (viewport.width - 128),
        bottomRight.y - topLeft.y - (viewport.height - 128),
      ),
    ).toBeCloseTo(0, 6);
    expect(view(zoomed).zoom).toBeGreaterThan(view(state).zoom * 2);
  });

  test("Shift+2 without a product changes nothing", () => {
    const empty = run(withProduct(), { type: "clearProduct" }, { type: "viewportResized", size: viewport });
    expect(run(empty, { type: "zoomToProduct" })).toBe(empty);
  });

  test("Ctrl/Cmd + = / − / 0 zoom the canvas, also from a text field, where other keys type", () => {
    const fitted = measured();
    expect(view(apply(fitted, press("=", { ctrlKey: true }, true))).zoom).toBeCloseTo(
      view(fitted).zoom * 1.25,
      12,
    );
    expect(view(apply(fitted, press("-", { metaKey: true }, true))).zoom).toBeCloseTo(
      view(fitted).zoom / 1.25,
      12,
    );
    expect(press("0", { ctrlKey: true }, true)).toEqual({ type: "fitView" });
    expect(press("=", {}, true)).toBeUndefined();
    expect(press("ArrowLeft", {}, true)).toBeUndefined();
    expect(press("z", { ctrlKey: true }, true)).toBeUndefined();
  });
});

describe("the selection box stays in view", () => {
  test("inside the frame, the automatic view fits the frame as before", () => {
    const state = measured();
    expect(view(state)).toEqual(fitView(viewport, { width: 1024, height: 1024 }));
  });

  test("a product sticking out of the frame is taken in, handles and all, until it is back inside", () => {
    const out = run(
      measured(),
      { type: "setPlacementValue", field: "x", value: 0.9 },
      { type: "setPlacementValue", field: "rotation", value: 20 },
    );
    const frame = frameOf(present(out), out.images);
    const box = productBoundsOf(present(out), out.images, frame)!;
    expect(box.x + box.width).toBeGreaterThan(frame.width);
    const right = toScreen(out, { x: box.x + box.width, y: box.y });
    const left = toScreen(out, { x: 0, y: 0 });
    // Everything, with the 32 px margin the rotation handle needs, is on the canvas.
    expect(right.x).toBeLessThanOrEqual(viewport.width - 32 + 1e-9);
    expect(left.x).toBeGreaterThanOrEqual(32 - 1e-9);
    expect(toScreen(out, { x: 0, y: box.y }).y).toBeGreaterThanOrEqual(32 - 1e-9);
    const back = run(
      out,
      { type: "setPlacementValue", field: "x", value: 0.5 },
      { type: "setPlacementValue", field: "rotation", value: 0 },
    );
    expect(view(back)).toEqual(view(measured()));
  });

  test("what is fitted grows at most half a frame past each edge", () => {
    const frame = { width: 1000, height: 800 };
    expect(contentBounds(frame, { x: -5000, y: 100, width: 20000, height: 100 })).toEqual({
      x: -500,
      y: 0,
      width: 2000,
      height: 800,
    });
    expect(contentBounds(frame, undefined)).toEqual({ x: 0, y: 0, width: 1000, height: 800 });
  });

  test("a view someone zoomed or panned is left as they made it", () => {
    const panned = run(measured(), { type: "panBy", delta: { x: 10, y: 10 } });
    const moved = run(panned, { type: "setPlacementValue", field: "x", value: 0.98 });
    expect(view(moved)).toEqual(view(panned));
  });
});
