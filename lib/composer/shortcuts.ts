import { ZOOM_STEP } from "./camera";
import type { ComposerAction } from "./reducer";

export type KeyInput = {
  key: string;
  /** The physical key (`KeyboardEvent.code`): Shift+1 is "!" on one layout and "+" on another. */
  code?: string;
  shiftKey: boolean;
  metaKey: boolean;
  ctrlKey: boolean;
  altKey: boolean;
};

export const NUDGE = 1;
export const NUDGE_SHIFT = 10;

/** The composer's keyboard shortcuts (outside text fields): nudge, reset, undo and redo. */
export function shortcutAction(event: KeyInput): ComposerAction | undefined {
  const mod = event.metaKey || event.ctrlKey;
  const key = event.key.toLowerCase();
  if (mod && key === "z") return { type: event.shiftKey ? "redo" : "undo" };
  if (mod && key === "y") return { type: "redo" };
  if (mod || event.altKey) return undefined;
  const step = event.shiftKey ? NUDGE_SHIFT : NUDGE;
  switch (event.key) {
    case "ArrowLeft":
      return { type: "nudge", dx: -step, dy: 0 };
    case "ArrowRight":
      return { type: "nudge", dx: step, dy: 0 };
    case "ArrowUp":
      return { type: "nudge", dx: 0, dy: -step };
    case "ArrowDown":
      return { type: "nudge", dx: 0, dy: step };
    case "Delete":
    case "Backspace":
      return { type: "resetPlacement" };
    default:
      return undefined;
  }
}

const zoomKey = (key: string): number | "fit" | undefined =>
  key === "+" || key === "="
    ? ZOOM_STEP
    : key === "-" || key === "_"
      ? 1 / ZOOM_STEP
      : key === "0"
        ? "fit"
        : undefined;

/**
 * Canvas zoom keys: + / − / 0 alone, and Ctrl/Cmd with them, which zoom the canvas instead of the
 * browser's page (as in Figma); Shift+1 fits, Shift+2 zooms to the product.
 */
export function zoomShortcut(event: KeyInput): number | "fit" | "product" | undefined {
  if (event.altKey) return undefined;
  const mod = event.metaKey || event.ctrlKey;
  if (event.shiftKey && !mod) {
    if (event.code === "Digit1" || event.key === "!") return "fit";
    if (event.code === "Digit2" || event.key === "@") return "product";
  }
  return zoomKey(event.key);
}

/**
 * Every composer key as an action: zoom, nudge, reset, undo, redo. Inside a text field only the
 * Ctrl/Cmd zoom keys count (the browser would zoom the page with them); the others type.
 */
export function keyAction(event: KeyInput, where: { typing?: boolean } = {}): ComposerAction | undefined {
  const mod = event.metaKey || event.ctrlKey;
  if (where.typing && !(mod && zoomKey(event.key) !== undefined)) return undefined;
  const zoom = zoomShortcut(event);
  if (zoom === "fit") return { type: "fitView" };
  if (zoom === "product") return { type: "zoomToProduct" };
  if (zoom !== undefined) return { type: "zoomBy", factor: zoom };
  return shortcutAction(event);
}
