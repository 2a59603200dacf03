"use client";

import type { Generation } from "@/lib/scene/generation";

import { keyOptions, promptOf } from "./describe";
import { EngineBadge, StatusBadge } from "./status-badge";

/** One generation in the grid: its first output's server-made thumbnail, prompt and key options. */
export function GenerationCard({
  generation,
  selected,
  canEdit,
  onOpen,
  onToggleSelect,
  onToggleFavorite,
}: {
  generation: Generation;
  selected: boolean;
  canEdit: boolean;
  onOpen: () => void;
  onToggleSelect: () => void;
  onToggleFavorite: () => void;
}) {
  const cover = generation.outputs.find((o) => o.thumbUrl);
  const prompt = promptOf(generation.request);
  return (
    <article
      data-testid="generation-card"
      data-generation-id={generation.id}
      aria-label={prompt}
      className={`group relative flex h-full flex-col overflow-hidden rounded-lg border bg-canvas-panel ${selected ? "border-accent ring-2 ring-accent" : "border-canvas-line"}`}
    >
      <button
        type="button"
        onClick={onOpen}
        className="flex flex-1 flex-col text-left outline-none focus-visible:ring-2 focus-visible:ring-accent focus-visible:ring-inset"
      >
        <div className="relative aspect-square w-full overflow-hidden bg-canvas">
          {cover?.thumbUrl ? (
            // Server-made thumbnails are already small webps; the Next image optimiser would only add work.
            // eslint-disable-next-line @next/next/no-img-element
            <img
              src={cover.thumbUrl}
              alt={`Result: ${prompt}`}
              loading="lazy"
              decoding="async"
              className="size-full object-contain"
            />
          ) : generation.error ? null : (
            <div className="flex size-full items-center justify-center text-xs text-ink-soft">
              {generation.status === "queued" || generation.status === "running"
                ? "Working…"
                : "No stored image"}
            </div>
          )}
          {generation.error ? (
            // Why it failed, where the person looks first: over the image when there is one, else in its place.
            <div
              className={
                cover?.thumbUrl
                  ? "absolute inset-x-0 bottom-0 bg-danger-soft/95 px-2 py-1"
                  : "absolute inset-0 flex items-center justify-center bg-danger-soft p-4 text-center"
              }
            >
              <p className="line-clamp-4 text-xs leading-snug text-danger" data-testid="card-error">
                {generation.error.error_message}
              </p>
            </div>
          ) : null}
          {generation.outputs.length > 1 ? (
            <span className="absolute right-2 bottom-2 rounded bg-ink/70 px-1.5 py-0.5 text-[11px] text-white">
              {generation.outputs.length} images
            </span>
          ) : null}
        </div>
        <div className="flex flex-col gap-1 p-2">
          <p className="line-clamp-2 text-sm leading-snug" title={prompt}>
            {prompt}
          </p>
          <div className="flex flex-wrap items-center gap-1 text-[11px] text-ink-soft">
            <EngineBadge engine={generation.engine} />
            <StatusBadge status={generation.status} />
            <span>{keyOptions(generation.request).join(" · ")}</span>
          </div>
        </div>
      </button>
      <div className="absolute top-2 left-2 flex items-center">
        <label className="flex size-7 cursor-pointer items-center justify-center rounded bg-canvas-panel/90 shadow-sm">
          <span className="sr-only">Select “{prompt}”</span>
          <input
            type="checkbox"
            checked={selected}
            onChange={onToggleSelect}
            className="size-4 accent-accent"
          />
        </label>
      </div>
      {canEdit ? (
        <button
          type="button"
          aria-pressed={generation.favorite}
          aria-label={generation.favorite ? "Remove from favourites" : "Add to favourites"}
          onClick={onToggleFavorite}
          className="absolute top-2 right-2 flex size-7 items-center justify-center rounded bg-canvas-panel/90 text-base shadow-sm hover:text-accent aria-pressed:text-accent"
        >
          <span aria-hidden>{generation.favorite ? "★" : "☆"}</span>
        </button>
      ) : generation.favorite ? (
        <span className="absolute top-2 right-2 text-accent" aria-label="Favourite">
          ★
        </span>
      ) : null}
    </article>
  );
}
