/**
 * Moving around the canvas the way Figma does, as rules without a DOM: the wheel scrolls the canvas
 * (Shift: sideways), Ctrl/Cmd + wheel (and a trackpad pinch, which browsers report as one) zooms at
 * the pointer, and space-drag or middle-drag pans. The canvas feeds these what the browser reports
 * and applies what they answer.
 */
import type { Point } from "@/lib/scene/placement";

export type WheelInput = {
  deltaX: number;
  deltaY: number;
  /** 0 pixels, 1 lines, 2 pages (`WheelEvent.deltaMode`). */
  deltaMode: number;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
};

export type WheelGesture = { type: "zoom"; factor: number } | { type: "pan"; delta: Point };

/** Pixels per line and per page, for wheels that report in lines or pages. */
const LINE_PX = 16;
const PAGE_PX = 800;
/** One mouse-wheel notch (about 100 px) zooms by about 1.35×; a pinch's small steps zoom smoothly. */
const ZOOM_PER_PX = 0.006;
const MAX_ZOOM_STEP_PX = 50;

function pixels(delta: number, mode: number): number {
  return mode === 1 ? delta * LINE_PX : mode === 2 ? delta * PAGE_PX : delta;
}

export function wheelGesture(input: WheelInput): WheelGesture {
  const dx = pixels(input.deltaX, input.deltaMode);
  const dy = pixels(input.deltaY, input.deltaMode);
  if (input.ctrlKey || input.metaKey) {
    const step = Math.max(-MAX_ZOOM_STEP_PX, Math.min(MAX_ZOOM_STEP_PX, dy));
    return { type: "zoom", factor: Math.exp(-step * ZOOM_PER_PX) };
  }
  // Shift turns a vertical wheel sideways (some browsers have already done so: deltaX is then set).
  if (input.shiftKey && dx === 0) return { type: "pan", delta: { x: -dy, y: 0 } };
  return { type: "pan", delta: { x: -dx, y: -dy } };
}

export type PointerInput = {
  /** `PointerEvent.button`: 0 primary, 1 middle. */
  button: number;
  /** Space is held down (outside text fields). */
  spaceHeld: boolean;
};

/** Whether pressing this button starts a pan rather than anything on the canvas (a drag, a resize). */
export function startsPan(input: PointerInput): boolean {
  return input.button === 1 || (input.button === 0 && input.spaceHeld);
}

/** How far a pan has moved the view since it began: the frame follows the pointer. */
export function panDelta(start: Point, now: Point): Point {
  return { x: now.x - start.x, y: now.y - start.y };
}

/** The cursor the canvas shows: an open hand while space is held, a closed one while panning. */
export function panCursor(state: { spaceHeld: boolean; panning: boolean }): string | undefined {
  if (state.panning) return "grabbing";
  return state.spaceHeld ? "grab" : undefined;
}
