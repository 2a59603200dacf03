"use client";

import dynamic from "next/dynamic";
import { useCallback, useState } from "react";

import { OutputForm } from "@/components/scene-form/output-form";
import { SceneForm } from "@/components/scene-form/scene-form";
import { Section } from "@/components/ui/section";

import { CanvasLoader } from "./canvas-loader";
import { CanvasToolbar } from "./canvas-toolbar";
import { ComposerContext } from "./composer-context";
import { GeneratePanel } from "./generate-panel";
import { ImageSlots } from "./image-slots";
import { createLivePlacement } from "./live-placement";
import { PlacementInspector } from "./placement-inspector";
import { useComposerShortcuts } from "./use-composer-shortcuts";
import { useComposerState } from "./use-composer-state";
import { useComposerValue } from "./use-composer-value";
import { useFileDrop } from "./use-file-drop";
import { useImageIntake } from "./use-image-intake";
import { useImageMeasurements } from "./use-image-measurements";

// None of these is needed for the first paint: results exist only after generating, the request panel
// sits at the foot of the sidebar, and the Generate button stays disabled until the validator has
// loaded anyway (the panel is drawn meanwhile, without its data). They load after hydration, in their
// own chunks, like the canvas.
const Results = dynamic(() => import("./results").then((m) => m.Results), {
  ssr: false,
  loading: () => null,
});
const RequestPanel = dynamic(() => import("./request-panel").then((m) => m.RequestPanel), {
  ssr: false,
  loading: () => null,
});
const GenerateControl = dynamic(() => import("./generate-control"), {
  ssr: false,
  loading: () => <GeneratePanel />,
});

/**
 * The composer: images and scene on the left, the canvas and results in the middle, placement and
 * output on the right above Generate, which stays in view however long the options above it grow.
 * `maxUploadBytes` is the server's upload limit, checked before a file is sent.
 */
export function Composer({ from, maxUploadBytes }: { from?: string; maxUploadBytes?: number }) {
  const { state, dispatch, loadError } = useComposerState(from);
  const imageChecks = useImageMeasurements(state.history.present, state.images, dispatch);
  const value = useComposerValue(state, dispatch, imageChecks);
  const intake = useImageIntake(dispatch, maxUploadBytes);
  const dropTarget = useFileDrop(intake);
  const [live] = useState(createLivePlacement);
  const { doc, frame, view } = value;
  useComposerShortcuts(dispatch);

  const onStarted = useCallback((id: string) => dispatch({ type: "generationStarted", id }), [dispatch]);
  const onRemove = useCallback((id: string) => dispatch({ type: "generationHidden", id }), [dispatch]);

  return (
    <ComposerContext.Provider value={value}>
      <div className="grid min-h-0 flex-1 grid-cols-[300px_minmax(0,1fr)_340px]">
        <aside
          aria-label="Images and scene"
          className="overflow-y-auto border-r border-canvas-line bg-canvas-panel"
        >
          <Section title="Images" id="images">
            <ImageSlots intake={intake} />
          </Section>
          <Section title="Scene" id="scene">
            <SceneForm />
          </Section>
        </aside>
        <div className="flex min-h-0 min-w-0 flex-col">
          <CanvasToolbar />
          {loadError ? (
            <p role="alert" className="bg-danger-soft px-4 py-2 text-xs text-danger">
              {loadError}
            </p>
          ) : null}
          <div
            className="relative min-h-0 flex-1 overflow-hidden"
            role="region"
            aria-label="Canvas. Drag the product to move it; arrow keys nudge it by 1 px, with Shift by 10 px; Delete resets it. Scroll or space-drag to move around, Ctrl or Cmd with the wheel to zoom, Shift+1 to fit, Shift+2 to zoom to the product."
            data-testid="canvas"
          >
            {doc.imageUrl && state.images[doc.imageUrl] ? null : (
              <div className="pointer-events-none absolute inset-0 z-10 grid place-items-center p-8 text-center text-sm text-ink-muted">
                Drop a product image anywhere, paste one, or use “Choose file”.
              </div>
            )}
            <CanvasLoader
              doc={doc}
              images={state.images}
              frame={frame}
              view={view}
              dispatch={dispatch}
              live={live}
            />
            {dropTarget ? (
              <div className="pointer-events-none absolute inset-3 z-20 grid place-items-center rounded-xl border-2 border-dashed border-accent bg-accent-soft/70 text-sm font-medium text-accent-strong">
                Drop to use as the {dropTarget}
              </div>
            ) : null}
          </div>
          <Results ids={state.generations} onRemove={onRemove} />
        </div>
        <aside
          aria-label="Placement, output and request"
          className="flex min-h-0 flex-col border-l border-canvas-line bg-canvas-panel"
        >
          <div className="min-h-0 flex-1 overflow-y-auto" data-testid="options-scroll">
            <Section title="Placement" id="placement">
              <PlacementInspector live={live} />
            </Section>
            <Section title="Output" id="output">
              <OutputForm />
            </Section>
            <Section title="Request" id="request">
              <RequestPanel />
            </Section>
          </div>
          <div className="shrink-0 border-t border-canvas-line shadow-[0_-4px_12px_rgba(17,20,24,0.06)]">
            <Section title="Generate" id="generate">
              <GenerateControl onStarted={onStarted} />
            </Section>
          </div>
        </aside>
      </div>
    </ComposerContext.Provider>
  );
}
