"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from "react";

import { OutputForm } from "@/components/scene-form/output-form";
import { SceneForm } from "@/components/scene-form/scene-form";
import { Section } from "@/components/ui/section";
import { frameOf } from "@/lib/composer/frame";
import { serialize, STORAGE_KEY } from "@/lib/composer/persist";
import { composerReducer, initialState } from "@/lib/composer/reducer";
import { buildRequest } from "@/lib/composer/request";
import { shortcutAction, zoomShortcut } from "@/lib/composer/shortcuts";

import { loadApi } from "./api-loader";
import { CanvasLoader } from "./canvas-loader";
import { CanvasToolbar } from "./canvas-toolbar";
import type { CanvasControls } from "./canvas/stage-view";
import { ComposerContext, type ComposerContextValue } from "./composer-context";
import { GeneratePanel } from "./generate-panel";
import { ImageSlots } from "./image-slots";
import { measureImage } from "./image-source";
import { createLivePlacement } from "./live-placement";
import { PlacementInspector } from "./placement-inspector";
import { useImageIntake, type Slot } from "./use-image-intake";
import { useValidation } from "./use-validation";

// Neither is needed for the first paint: results exist only after generating, and the request panel
// sits at the foot of the sidebar. They load after hydration, in their own chunk, like the canvas.
const Results = dynamic(() => import("./results").then((m) => m.Results), {
  ssr: false,
  loading: () => null,
});
const RequestPanel = dynamic(() => import("./request-panel").then((m) => m.RequestPanel), {
  ssr: false,
  loading: () => null,
});

/** Text fields keep their own keys: arrows move the caret there, Cmd-Z undoes typing. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag !== "INPUT") return false;
  const type = (target as HTMLInputElement).type;
  return !["checkbox", "radio", "button", "color", "file", "range", "submit"].includes(type);
}

function imageFileOf(items: DataTransferItemList | FileList | undefined | null): File | undefined {
  if (!items) return undefined;
  const list: (DataTransferItem | File)[] = Array.from(items as ArrayLike<DataTransferItem | File>);
  for (const item of list) {
    const file = item instanceof File ? item : item.kind === "file" ? item.getAsFile() : null;
    if (file && file.type.startsWith("image/")) return file;
  }
  return undefined;
}

function ComposerWorkspace({ from }: { from?: string }) {
  const [state, dispatch] = useReducer(composerReducer, undefined, () => initialState());
  // The untouched first state is never saved: it would overwrite what is about to be restored.
  const [pristine] = useState(() => state);
  const canvasControls = useRef<CanvasControls | null>(null);
  const [zoom, setZoom] = useState(1);
  const [dropTarget, setDropTarget] = useState<Slot | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const intake = useImageIntake(dispatch);
  const [live] = useState(createLivePlacement);
  const doc = state.history.present;

  // Restore after hydration (the server renders the empty composer), then honour ?from=<generation>.
  useEffect(() => {
    let live = true;
    void import("@/lib/composer/restore").then(({ deserialize }) => {
      if (!live) return;
      const saved = deserialize(window.localStorage.getItem(STORAGE_KEY));
      if (saved) dispatch({ type: "restore", state: saved });
      if (!from) return;
      loadApi()
        .then(({ fetchGeneration }) => fetchGeneration(from))
        .then((generation) => {
          dispatch({ type: "loadRequest", request: generation.request });
          dispatch({ type: "generationStarted", id: generation.id });
          window.history.replaceState(null, "", window.location.pathname);
        })
        .catch((error: unknown) =>
          setLoadError(
            `Could not load generation ${from}: ${error instanceof Error ? error.message : String(error)}`,
          ),
        );
    });
    return () => {
      live = false;
    };
  }, [from]);

  // Saved on every change, not debounced: a reload right after an edit must not lose it, and the
  // document is a few kilobytes.
  useEffect(() => {
    if (state === pristine) return;
    try {
      window.localStorage.setItem(STORAGE_KEY, serialize(state));
    } catch {
      // Storage full or disabled: the composer still works, it just will not survive a reload.
    }
  }, [state, pristine]);

  // Images named by a loaded request (not uploaded here) are measured in the browser.
  const measuring = useRef(new Set<string>());
  useEffect(() => {
    for (const url of [doc.imageUrl, doc.scene.template_url]) {
      if (!url || state.images[url] || measuring.current.has(url)) continue;
      measuring.current.add(url);
      measureImage(url)
        .then((meta) => dispatch({ type: "imageMeta", url, meta }))
        .catch(() => undefined)
        .finally(() => measuring.current.delete(url));
    }
  }, [doc.imageUrl, doc.scene.template_url, state.images]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || isTyping(event.target)) return;
      if (event.target instanceof HTMLElement && event.target.closest("dialog,[role=radiogroup]")) return;
      const zoom = zoomShortcut(event);
      if (zoom) {
        event.preventDefault();
        if (zoom === "fit") canvasControls.current?.fit();
        else canvasControls.current?.zoomBy(zoom);
        return;
      }
      const action = shortcutAction(event);
      if (!action) return;
      event.preventDefault();
      dispatch(action);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  // A file dropped anywhere becomes the product, unless it is dropped on the template slot.
  useEffect(() => {
    const slotAt = (target: EventTarget | null): Slot =>
      target instanceof Element && target.closest("[data-slot=template]") ? "template" : "product";
    const onDragOver = (event: DragEvent) => {
      if (!event.dataTransfer?.types.includes("Files")) return;
      event.preventDefault();
      setDropTarget(slotAt(event.target));
    };
    const onDragLeave = (event: DragEvent) => {
      if (event.relatedTarget === null) setDropTarget(null);
    };
    const onDrop = (event: DragEvent) => {
      event.preventDefault();
      setDropTarget(null);
      const file = imageFileOf(event.dataTransfer?.files);
      if (file) void intake.addFile(slotAt(event.target), file);
    };
    const onPaste = (event: ClipboardEvent) => {
      if (isTyping(event.target)) return;
      const file = imageFileOf(event.clipboardData?.items);
      if (!file) return;
      event.preventDefault();
      void intake.addFile("product", file);
    };
    window.addEventListener("dragover", onDragOver);
    window.addEventListener("dragleave", onDragLeave);
    window.addEventListener("drop", onDrop);
    window.addEventListener("paste", onPaste);
    return () => {
      window.removeEventListener("dragover", onDragOver);
      window.removeEventListener("dragleave", onDragLeave);
      window.removeEventListener("drop", onDrop);
      window.removeEventListener("paste", onPaste);
    };
  }, [intake]);

  const request = useMemo(() => buildRequest(doc), [doc]);
  const validation = useValidation(request);
  const frame = useMemo(() => frameOf(doc, state.images), [doc, state.images]);
  const value: ComposerContextValue = useMemo(
    () => ({
      state,
      doc,
      dispatch,
      request,
      errors: validation.ok ? {} : validation.errors,
      valid: validation.ok,
      frame,
    }),
    [state, doc, request, validation, frame],
  );

  const onStarted = useCallback((id: string) => dispatch({ type: "generationStarted", id }), []);
  const onRemove = useCallback((id: string) => dispatch({ type: "generationHidden", id }), []);

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
          <CanvasToolbar zoom={zoom} controls={canvasControls} />
          {loadError ? (
            <p role="alert" className="bg-danger-soft px-4 py-2 text-xs text-danger">
              {loadError}
            </p>
          ) : null}
          <div
            className="relative min-h-0 flex-1 overflow-hidden"
            role="region"
            aria-label="Canvas. Drag the product to move it; arrow keys nudge it by 1 px, with Shift by 10 px; Delete resets it."
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
              dispatch={dispatch}
              controls={canvasControls}
              onZoomChange={setZoom}
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
          className="overflow-y-auto border-l border-canvas-line bg-canvas-panel"
        >
          <Section title="Placement" id="placement">
            <PlacementInspector live={live} />
          </Section>
          <Section title="Output" id="output">
            <OutputForm />
          </Section>
          <Section title="Generate" id="generate">
            <GeneratePanel onStarted={onStarted} />
          </Section>
          <Section title="Request" id="request">
            <RequestPanel />
          </Section>
        </aside>
      </div>
    </ComposerContext.Provider>
  );
}

export function Composer({ from }: { from?: string }) {
  const [client] = useState(
    () => new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } }),
  );
  return (
    <QueryClientProvider client={client}>
      <ComposerWorkspace from={from} />
    </QueryClientProvider>
  );
}
