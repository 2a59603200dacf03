import { ZOOM_STEP } from "./camera";
import type { ComposerAction } from "./reducer";

export type KeyInput = {
  key: string;
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

/** Canvas zoom keys (unmodified, so the browser's own Cmd/Ctrl zoom stays): a factor, or fit. */
export function zoomShortcut(event: KeyInput): number | "fit" | undefined {
  if (event.metaKey || event.ctrlKey || event.altKey) return undefined;
  if (event.key === "+" || event.key === "=") return ZOOM_STEP;
  if (event.key === "-" || event.key === "_") return 1 / ZOOM_STEP;
  if (event.key === "0") return "fit";
  return undefined;
}

/** Every composer key outside text fields as an action: zoom, nudge, reset, undo, redo. */
export function keyAction(event: KeyInput): ComposerAction | undefined {
  const zoom = zoomShortcut(event);
  if (zoom === "fit") return { type: "fitView" };
  if (zoom !== undefined) return { type: "zoomBy", factor: zoom };
  return shortcutAction(event);
}
