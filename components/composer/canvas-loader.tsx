"use client";

import dynamic from "next/dynamic";

import type { StageViewProps } from "./canvas/stage-view";

/** Konva loads after first paint, in its own chunk; the page is usable while it arrives. */
const StageView = dynamic(() => import("./canvas/stage-view"), {
  ssr: false,
  loading: () => (
    <div className="absolute inset-0 grid place-items-center text-sm text-ink-muted" aria-hidden>
      Loading canvas…
    </div>
  ),
});

export function CanvasLoader(props: StageViewProps) {
  return <StageView {...props} />;
}
