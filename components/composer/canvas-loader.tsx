"use client";

import dynamic from "next/dynamic";

import type { StageViewProps } from "./canvas/stage-view";

/** Konva loads after first paint, in its own chunk; the page is usable while it arrives. */
const StageView = dynamic(() => import("./canvas/stage-view"), {
  ssr: false,
  // The empty-canvas hint (or the product's slot) already says what is happening; no second message.
  loading: () => null,
});

export function CanvasLoader(props: StageViewProps) {
  return <StageView {...props} />;
}
