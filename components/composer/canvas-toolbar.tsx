"use client";

import { Button } from "@/components/ui/button";
import { ZOOM_STEP } from "@/lib/composer/camera";
import { frameSourceOfDoc } from "@/lib/composer/frame";

import { useComposer } from "./composer-context";

const SOURCE_LABEL = {
  aspect_ratio: "aspect ratio",
  template: "template image",
  original: "product image",
} as const;

export function CanvasToolbar() {
  const { state, doc, dispatch, frame, view } = useComposer();
  const mod = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform) ? "⌘" : "Ctrl+";
  return (
    <div
      role="toolbar"
      aria-label="Canvas"
      className="flex h-10 shrink-0 items-center gap-1 border-b border-canvas-line bg-canvas-panel px-2 text-xs"
    >
      <Button
        size="sm"
        variant="ghost"
        onClick={() => dispatch({ type: "undo" })}
        disabled={state.history.past.length === 0}
        title={`Undo (${mod}Z)`}
      >
        Undo
      </Button>
      <Button
        size="sm"
        variant="ghost"
        onClick={() => dispatch({ type: "redo" })}
        disabled={state.history.future.length === 0}
        title={`Redo (Shift+${mod}Z)`}
      >
        Redo
      </Button>
      <span className="mx-1 h-5 w-px bg-canvas-line" aria-hidden />
      <span className="text-ink-soft tabular-nums" data-testid="frame-size">
        Frame {frame.width} × {frame.height}
        <span className="text-ink-muted"> · from the {SOURCE_LABEL[frameSourceOfDoc(doc)]}</span>
      </span>
      {doc.placement !== "absolute" ? (
        <span className="ml-2 rounded bg-canvas px-1.5 py-0.5 text-ink-soft">
          {doc.placement === "original" ? "Locked: as in the image" : "Fitted inside the margin"}
        </span>
      ) : null}
      <span className="ml-auto flex items-center gap-1">
        <Button
          size="sm"
          variant="ghost"
          onClick={() => dispatch({ type: "zoomBy", factor: 1 / ZOOM_STEP })}
          aria-label="Zoom out"
          title={`Zoom out (${mod}−, or ${mod}scroll)`}
        >
          −
        </Button>
        <span className="w-10 text-center text-ink-muted tabular-nums" data-testid="zoom">
          {Math.round(view.zoom * 100)}%
        </span>
        <Button
          size="sm"
          variant="ghost"
          onClick={() => dispatch({ type: "zoomBy", factor: ZOOM_STEP })}
          aria-label="Zoom in"
          title={`Zoom in (${mod}+, or ${mod}scroll)`}
        >
          +
        </Button>
        <Button
          size="sm"
          variant="ghost"
          onClick={() => dispatch({ type: "fitView" })}
          title="Fit the frame to the screen (Shift+1). Scroll or space-drag to move around."
        >
          Fit
        </Button>
        <Button
          size="sm"
          variant="ghost"
          onClick={() => dispatch({ type: "zoomToProduct" })}
          disabled={!state.images[doc.imageUrl]}
          title="Zoom to the product (Shift+2)"
        >
          Product
        </Button>
      </span>
    </div>
  );
}
