"use client";

import { Button } from "@/components/ui/button";
import { frameSourceOfDoc } from "@/lib/composer/frame";

import { useComposer } from "./composer-context";

const SOURCE_LABEL = {
  aspect_ratio: "aspect ratio",
  template: "template image",
  original: "product image",
} as const;

export function CanvasToolbar({ zoom, onFit }: { zoom: number; onFit: () => void }) {
  const { state, doc, dispatch, frame } = useComposer();
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
          {doc.placement === "original" ? "Locked: original placement" : "Fitted inside the padding"}
        </span>
      ) : null}
      <span className="ml-auto flex items-center gap-1">
        <span className="w-12 text-right text-ink-muted tabular-nums" aria-label="Zoom">
          {Math.round(zoom * 100)}%
        </span>
        <Button size="sm" variant="ghost" onClick={onFit} title="Fit the frame to the screen">
          Fit
        </Button>
      </span>
    </div>
  );
}
