"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";

import { Button, buttonClass } from "@/components/ui/button";
import { QueryProvider } from "@/lib/client/query-provider";
import { ApiFailure } from "@/lib/client/request";
import { useGeneration } from "@/lib/client/use-generation";
import { useFollow, useLiveGenerations, useUnsettledIds } from "@/lib/client/use-live-generations";
import type { Generation, GenerationOutput } from "@/lib/scene/generation";
import { isSettled } from "@/lib/scene/generation";

import { useComposer } from "./composer-context";

/** How often a result in progress is asked for while the event stream is down. */
const FALLBACK_POLL_MS = 500;

function useElapsed(since: string, running: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 200);
    return () => clearInterval(timer);
  }, [running]);
  return Math.max(0, now - new Date(since).getTime());
}

function seconds(ms: number) {
  return `${(ms / 1000).toFixed(1)} s`;
}

function duration(generation: Generation): number | undefined {
  if (!generation.finishedAt) return undefined;
  return (
    new Date(generation.finishedAt).getTime() -
    new Date(generation.startedAt ?? generation.createdAt).getTime()
  );
}

type Viewing = { generation: Generation; output: GenerationOutput };

function GenerationCard({
  id,
  pollMs,
  onView,
  onRemove,
}: {
  id: string;
  pollMs: number | false;
  onView: (v: Viewing) => void;
  onRemove: () => void;
}) {
  const { dispatch } = useComposer();
  const query = useGeneration(id, { pollMs });
  const generation = query.data;
  const running = generation ? !isSettled(generation.status) : query.isPending;
  const elapsed = useElapsed(generation?.createdAt ?? new Date().toISOString(), running);
  const draft = generation?.engine === "local";
  const notFound = query.error instanceof ApiFailure && query.error.status === 404;

  return (
    <li
      className="flex w-max shrink-0 flex-col gap-2 rounded-lg border border-canvas-line bg-canvas-panel p-2"
      data-testid="generation"
      data-status={generation?.status ?? (query.isError ? "error" : "loading")}
    >
      <div className="flex items-center gap-2 text-xs">
        {generation ? (
          <span
            className={`rounded px-1.5 py-0.5 font-semibold ${draft ? "bg-draft-soft text-draft" : "bg-accent-soft text-accent-strong"}`}
          >
            {draft ? "Draft" : "Claid"}
          </span>
        ) : null}
        <span className="text-ink-soft" role="status">
          {notFound
            ? "No longer available"
            : query.isError
              ? "Could not load"
              : running
                ? `${generation?.status === "running" ? "Rendering" : "Queued"}… ${seconds(elapsed)}`
                : generation?.status === "succeeded"
                  ? `Done in ${seconds(duration(generation) ?? 0)}`
                  : generation?.status === "interrupted"
                    ? "Interrupted"
                    : "Failed"}
        </span>
        <span className="ml-auto flex gap-1">
          {generation ? (
            <Button
              size="sm"
              variant="ghost"
              onClick={() => {
                if (generation.kind === "scene")
                  dispatch({ type: "loadRequest", request: generation.request });
              }}
            >
              Send to composer
            </Button>
          ) : null}
          <Button size="sm" variant="ghost" onClick={onRemove} aria-label="Hide this result">
            ×
          </Button>
        </span>
      </div>
      {generation?.error ? (
        <p className="max-w-72 rounded bg-danger-soft px-2 py-1 text-xs text-danger" role="alert">
          {generation.error.error_message}
        </p>
      ) : null}
      <ul className="flex gap-2">
        {running && !generation?.outputs.length ? (
          <li className="size-24 animate-pulse rounded bg-canvas" aria-hidden />
        ) : null}
        {generation?.outputs.map((output) => (
          <li key={output.id}>
            {output.url ? (
              <button
                type="button"
                onClick={() => onView({ generation, output })}
                className="block rounded focus-visible:outline-accent"
                aria-label={`View result ${output.index + 1} (${output.width} × ${output.height})`}
              >
                {/* eslint-disable-next-line @next/next/no-img-element -- results are served by our own file route */}
                <img
                  src={output.thumbUrl ?? output.url}
                  alt=""
                  className="size-24 rounded bg-canvas object-contain"
                  data-testid="result-image"
                />
              </button>
            ) : (
              <span className="block max-w-40 text-xs break-all text-ink-muted">
                Written to {output.destination ?? "the destination"}
              </span>
            )}
          </li>
        ))}
      </ul>
    </li>
  );
}

function Viewer({ viewing, onClose }: { viewing: Viewing | null; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const { dispatch } = useComposer();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (viewing && !dialog.open) dialog.showModal();
    if (!viewing && dialog.open) dialog.close();
  }, [viewing]);
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-label="Result"
      className="m-auto max-h-[92vh] max-w-[92vw] rounded-xl bg-canvas-panel p-0 shadow-2xl backdrop:bg-black/60"
    >
      {viewing ? (
        <div className="flex flex-col">
          <div className="flex items-center gap-2 border-b border-canvas-line px-3 py-2 text-sm">
            <span className="font-medium">
              {viewing.generation.engine === "local" ? "Draft" : "Claid"} · {viewing.output.width} ×{" "}
              {viewing.output.height} · {viewing.output.format.toUpperCase()}
            </span>
            <span className="ml-auto flex gap-2">
              {viewing.output.downloadUrl ? (
                <a className={buttonClass("secondary", "sm")} href={viewing.output.downloadUrl} download>
                  Download
                </a>
              ) : null}
              <Button
                size="sm"
                onClick={() => {
                  const { generation } = viewing;
                  if (generation.kind === "scene")
                    dispatch({ type: "loadRequest", request: generation.request });
                  onClose();
                }}
              >
                Send to composer
              </Button>
              <Button size="sm" variant="ghost" onClick={onClose} autoFocus>
                Close
              </Button>
            </span>
          </div>
          {/* eslint-disable-next-line @next/next/no-img-element -- full-size result from our own file route */}
          <img
            src={viewing.output.url ?? ""}
            alt={`Result ${viewing.output.index + 1}`}
            className="max-h-[80vh] max-w-[90vw] bg-[conic-gradient(#e5e7eb_25%,#fff_0_50%,#e5e7eb_0_75%,#fff_0)] bg-[length:16px_16px] object-contain"
          />
        </div>
      ) : null}
    </dialog>
  );
}

type ResultsProps = { ids: string[]; onRemove: (id: string) => void };

/** The generations started here, newest first, followed live by the page's one event stream. */
export function Results(props: ResultsProps) {
  return (
    <QueryProvider>
      <ResultStrip {...props} />
    </QueryProvider>
  );
}

/**
 * How many results the strip shows: enough to compare a few runs, few enough to scroll past. The rest
 * are one click away in the gallery (the composer keeps the ids of more, for that count).
 */
export const RESULTS_SHOWN = 8;

function ResultStrip({ ids, onRemove }: ResultsProps) {
  const [viewing, setViewing] = useState<Viewing | null>(null);
  const updates = useLiveGenerations();
  const shown = ids.slice(0, RESULTS_SHOWN);
  useFollow(updates, useUnsettledIds(shown));
  const pollMs = updates.live ? false : FALLBACK_POLL_MS;
  const more = ids.length - shown.length;
  return (
    <section aria-label="Results" className="shrink-0 border-t border-canvas-line bg-canvas-panel">
      {ids.length === 0 ? (
        <p className="px-4 py-3 text-xs text-ink-muted">
          Results appear here. Generate a draft to see the scene.
        </p>
      ) : (
        <div className="flex items-stretch">
          <div className="flex w-24 shrink-0 flex-col items-start gap-1 border-r border-canvas-line p-3 text-xs">
            <h2 className="font-semibold text-ink-soft">Results</h2>
            <span className="text-ink-soft" data-testid="results-count">
              {more > 0 ? `Newest ${shown.length} of ${ids.length}` : `${ids.length} here`}
            </span>
            <Button
              size="sm"
              variant="ghost"
              className="-ml-2"
              title="Hide every result from this strip; they stay in the gallery"
              onClick={() => ids.forEach(onRemove)}
            >
              Clear all
            </Button>
          </div>
          <ol className="flex min-w-0 flex-1 gap-3 overflow-x-auto p-3" data-testid="results">
            {shown.map((id) => (
              <GenerationCard
                key={id}
                id={id}
                pollMs={pollMs}
                onView={setViewing}
                onRemove={() => onRemove(id)}
              />
            ))}
            {more > 0 ? (
              <li className="flex shrink-0 items-center">
                <Link
                  href="/gallery?mine=1"
                  className="rounded-lg border border-dashed border-canvas-line px-4 py-6 text-xs text-accent-strong underline"
                  data-testid="results-more"
                >
                  {more} more in the gallery
                </Link>
              </li>
            ) : null}
          </ol>
        </div>
      )}
      <Viewer viewing={viewing} onClose={() => setViewing(null)} />
    </section>
  );
}
