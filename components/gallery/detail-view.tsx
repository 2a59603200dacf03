"use client";

import Link from "next/link";
import { useState } from "react";

import { ExportDialog } from "@/components/exports/export-dialog";
import { IntegrityBadge } from "@/components/integrity/integrity-badge";
import { Button, buttonClass } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { zipHref } from "@/lib/client/generations";
import { curlCommand } from "@/lib/scene/curl";
import type { Generation } from "@/lib/scene/generation";

import { CompareView, type ComparedOutput } from "./compare-view";
import { formatBytes, formatMs, formatWhen, keyOptions, promptOf } from "./describe";
import { EngineBadge, StatusBadge } from "./status-badge";

const TIMING_LABELS: Record<string, string> = {
  queue: "Waiting in queue",
  upstream: "Engine",
};

function timingLabel(name: string): string {
  return TIMING_LABELS[name] ?? `Engine: ${name.replace(/_ms$/, "").replace(/_/g, " ")}`;
}

/** Everything about one generation: every output, the exact request (JSON and cURL), timings and error. */
export function DetailView({
  generation,
  canEdit,
  onClose,
  onToggleFavorite,
  onDelete,
}: {
  generation: Generation;
  canEdit: boolean;
  onClose: () => void;
  onToggleFavorite: () => void;
  onDelete: () => void;
}) {
  const [tab, setTab] = useState<"json" | "curl">("json");
  const [comparing, setComparing] = useState(false);
  const [exporting, setExporting] = useState(false);
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  const json = JSON.stringify(generation.request, null, 2);
  const curl = curlCommand(origin, generation.request, generation.engine);
  const stored = generation.outputs.filter((o) => o.url);
  const comparable: ComparedOutput[] = stored.map((o) => ({
    ...o,
    title: `Image ${o.index + 1}`,
    facts: [`${o.width} × ${o.height}`, o.format],
  }));
  // Ours first, in the order they happen; then whatever the engine measured inside its own step.
  const ours = ["queue", "upstream"];
  const timings = [
    ...ours.flatMap((name) =>
      generation.timings[name] === undefined ? [] : [[name, generation.timings[name]] as const],
    ),
    ...Object.entries(generation.timings).filter(([name]) => !ours.includes(name)),
  ];
  const settledRunning = generation.status === "queued" || generation.status === "running";

  return (
    <div className="flex max-h-[92dvh] w-[min(1100px,94vw)] flex-col" data-testid="generation-detail">
      <header className="flex items-start gap-3 border-b border-canvas-line p-4">
        <div className="flex min-w-0 flex-1 flex-col gap-1">
          <h2
            id="detail-title"
            className="truncate text-base font-semibold"
            title={promptOf(generation.request)}
          >
            {promptOf(generation.request)}
          </h2>
          <div className="flex flex-wrap items-center gap-2 text-xs text-ink-muted">
            <EngineBadge engine={generation.engine} />
            <StatusBadge status={generation.status} />
            <span>{keyOptions(generation.request).join(" · ")}</span>
            <span>{formatWhen(generation.createdAt)}</span>
            {generation.createdBy ? <span>by {generation.createdBy.name}</span> : null}
          </div>
        </div>
        <Button variant="ghost" onClick={onClose} aria-label="Close">
          ✕
        </Button>
      </header>

      <div className="flex flex-wrap items-center gap-2 border-b border-canvas-line px-4 py-2">
        {canEdit ? (
          <Button size="sm" aria-pressed={generation.favorite} onClick={onToggleFavorite}>
            {generation.favorite ? "★ Favourite" : "☆ Add to favourites"}
          </Button>
        ) : null}
        {/* An image edit has no scene to open; the composer takes scenes. */}
        {canEdit && generation.kind === "scene" ? (
          <Link href={`/?from=${generation.id}`} className={buttonClass("secondary", "sm")}>
            Open in composer
          </Link>
        ) : null}
        {stored.length > 0 ? (
          <a
            href={zipHref({ generations: [generation.id] })}
            download
            className={buttonClass("secondary", "sm")}
          >
            Download all (zip)
          </a>
        ) : null}
        {stored.length > 0 ? (
          <Button size="sm" onClick={() => setExporting(true)}>
            Export for channels…
          </Button>
        ) : null}
        {comparable.length >= 2 && comparable.length <= 4 ? (
          <Button size="sm" aria-pressed={comparing} onClick={() => setComparing((c) => !c)}>
            {comparing ? "Show outputs" : "Compare outputs"}
          </Button>
        ) : null}
        {canEdit && !settledRunning ? (
          <Button size="sm" variant="danger" className="ml-auto" onClick={onDelete}>
            Delete…
          </Button>
        ) : null}
      </div>

      <div className="grid min-h-0 flex-1 gap-4 overflow-auto p-4 lg:grid-cols-[3fr_2fr]">
        <section aria-label="Outputs" className="flex flex-col gap-3">
          {comparing ? (
            <CompareView outputs={comparable} />
          ) : generation.outputs.length === 0 ? (
            <p className="text-sm text-ink-muted">
              {settledRunning
                ? "The generation is still working; it keeps going if you close this."
                : "No outputs."}
            </p>
          ) : (
            <ul className="grid gap-3 sm:grid-cols-2">
              {generation.outputs.map((output) => (
                <li key={output.id} className="flex flex-col gap-1" data-testid="detail-output">
                  {output.url ? (
                    <a
                      href={output.url}
                      target="_blank"
                      rel="noreferrer"
                      className="block rounded border border-canvas-line bg-canvas"
                    >
                      {/* eslint-disable-next-line @next/next/no-img-element */}
                      <img
                        src={output.url}
                        alt={`Image ${output.index + 1}`}
                        loading="lazy"
                        className="w-full object-contain"
                      />
                    </a>
                  ) : (
                    <div className="flex aspect-square items-center justify-center rounded bg-canvas text-xs text-ink-muted">
                      {output.destination ? `Written to ${output.destination}` : "Not stored yet"}
                    </div>
                  )}
                  <div className="flex items-center gap-2 text-xs text-ink-muted">
                    {output.url ? (
                      <IntegrityBadge
                        verdict={output.integrity?.verdict ?? null}
                        integrity={output.integrity}
                      />
                    ) : null}
                    <span>
                      {output.width} × {output.height} · {output.format} · {formatBytes(output.size)}
                    </span>
                    {output.downloadUrl ? (
                      <a href={output.downloadUrl} className="ml-auto text-accent-strong underline" download>
                        Download
                      </a>
                    ) : null}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section aria-label="Details" className="flex min-w-0 flex-col gap-4 text-sm">
          {generation.note ? (
            <p
              className="rounded-md border border-canvas-line bg-canvas p-3 text-ink-soft"
              data-testid="generation-note"
            >
              {generation.note}
            </p>
          ) : null}
          {generation.error ? (
            <div
              role="alert"
              className="rounded-md border border-danger/30 bg-danger-soft p-3 text-danger"
              data-testid="generation-error"
            >
              <p className="font-medium">{generation.error.error_message}</p>
              <p className="mt-1 font-mono text-xs">
                {generation.error.error_type} / {generation.error.error_code}
              </p>
            </div>
          ) : null}

          <div>
            <h3 className="mb-1 text-xs font-semibold tracking-wide text-ink-soft uppercase">Timings</h3>
            {timings.length === 0 ? (
              <p className="text-ink-muted">Not run yet.</p>
            ) : (
              <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-0.5" data-testid="timings">
                {timings.map(([name, ms]) => (
                  <div key={name} className="contents">
                    <dt className="text-ink-soft">{timingLabel(name)}</dt>
                    <dd className="font-mono text-xs leading-5">{formatMs(ms)}</dd>
                  </div>
                ))}
              </dl>
            )}
            {generation.upstreamRequestId ? (
              <p className="mt-1 text-xs text-ink-muted">
                Upstream request <span className="font-mono">{generation.upstreamRequestId}</span>
              </p>
            ) : null}
          </div>

          <div className="flex min-w-0 flex-col gap-1">
            <div className="flex items-center gap-1">
              <h3 className="mr-2 text-xs font-semibold tracking-wide text-ink-soft uppercase">Request</h3>
              {/* A tab list holds only its tabs; the heading and the Copy button sit beside it. */}
              <div role="tablist" aria-label="Request format" className="flex items-center gap-1">
                {(["json", "curl"] as const).map((t) => (
                  <button
                    key={t}
                    type="button"
                    role="tab"
                    id={`request-tab-${t}`}
                    aria-selected={tab === t}
                    aria-controls="request-panel"
                    onClick={() => setTab(t)}
                    className="rounded px-2 py-0.5 text-xs aria-selected:bg-accent-soft aria-selected:text-accent-strong"
                  >
                    {t === "json" ? "JSON" : "cURL"}
                  </button>
                ))}
              </div>
              <span className="ml-auto">
                <CopyButton
                  text={tab === "json" ? json : curl}
                  variant="ghost"
                  name={tab === "json" ? "the request as JSON" : "the cURL command"}
                />
              </span>
            </div>
            <pre
              id="request-panel"
              role="tabpanel"
              aria-labelledby={`request-tab-${tab}`}
              tabIndex={0}
              data-testid={`request-${tab}`}
              className="max-h-80 overflow-auto rounded-md bg-ink p-3 font-mono text-xs leading-relaxed text-canvas"
            >
              {tab === "json" ? json : curl}
            </pre>
            {tab === "curl" ? (
              <p className="text-xs text-ink-muted">
                Set BACKDROP_TOKEN to a personal access token from Settings.
              </p>
            ) : null}
          </div>
        </section>
      </div>
      <ExportDialog
        open={exporting}
        onClose={() => setExporting(false)}
        target={{ outputs: stored.map((o) => o.id) }}
        description={stored.length === 1 ? "This image" : `These ${stored.length} images`}
      />
    </div>
  );
}
