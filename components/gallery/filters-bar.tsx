"use client";

import { useEffect, useState } from "react";

import { Button } from "@/components/ui/button";
import { controlClass } from "@/components/ui/field";
import { NO_FILTERS, type GenerationFilters } from "@/lib/client/generation-filters";
import { SCHEMA_ASPECT_RATIOS } from "@/lib/scene/aspect-ratios";
import { ENGINES, GENERATION_STATUSES } from "@/lib/scene/generation";

import { statusLabel } from "./describe";

const ENGINE_LABELS: Record<string, string> = { local: "Local (draft)", claid: "Claid" };

function Labelled({ id, label, children }: { id: string; label: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs font-medium text-ink-soft">
        {label}
      </label>
      {children}
    </div>
  );
}

/** The gallery's filters; text is applied after a short pause in typing so each key is not a request. */
export function FiltersBar({
  value,
  onChange,
}: {
  value: GenerationFilters;
  onChange: (next: GenerationFilters) => void;
}) {
  const [text, setText] = useState(value.q);
  // When the filter changes from outside (Clear filters, back button), the box follows it.
  const [shownQ, setShownQ] = useState(value.q);
  if (value.q !== shownQ) {
    setShownQ(value.q);
    setText(value.q);
  }
  useEffect(() => {
    if (text === value.q) return;
    const timer = setTimeout(() => onChange({ ...value, q: text }), 300);
    return () => clearTimeout(timer);
  }, [text, value, onChange]);
  const set = (patch: Partial<GenerationFilters>) => onChange({ ...value, ...patch });
  const active = JSON.stringify(value) !== JSON.stringify(NO_FILTERS);

  return (
    <form
      role="search"
      aria-label="Filter generations"
      className="flex flex-wrap items-end gap-3 border-b border-canvas-line bg-canvas-panel px-4 py-3"
      onSubmit={(event) => {
        event.preventDefault();
        onChange({ ...value, q: text });
      }}
    >
      <div className="min-w-56 flex-1">
        <Labelled id="filter-q" label="Prompt contains">
          <input
            id="filter-q"
            type="search"
            className={controlClass}
            value={text}
            placeholder="e.g. marble"
            onChange={(event) => setText(event.target.value)}
          />
        </Labelled>
      </div>
      <Labelled id="filter-engine" label="Engine">
        <select
          id="filter-engine"
          className={controlClass}
          value={value.engine}
          onChange={(e) => set({ engine: e.target.value })}
        >
          <option value="">Any</option>
          {ENGINES.map((engine) => (
            <option key={engine} value={engine}>
              {ENGINE_LABELS[engine] ?? engine}
            </option>
          ))}
        </select>
      </Labelled>
      <Labelled id="filter-status" label="Status">
        <select
          id="filter-status"
          className={controlClass}
          value={value.status}
          onChange={(e) => set({ status: e.target.value })}
        >
          <option value="">Any</option>
          {GENERATION_STATUSES.map((status) => (
            <option key={status} value={status}>
              {statusLabel(status)}
            </option>
          ))}
        </select>
      </Labelled>
      <Labelled id="filter-aspect" label="Aspect ratio">
        <select
          id="filter-aspect"
          className={controlClass}
          value={value.aspect}
          onChange={(e) => set({ aspect: e.target.value })}
        >
          <option value="">Any</option>
          {SCHEMA_ASPECT_RATIOS.map((ratio) => (
            <option key={ratio} value={ratio}>
              {ratio}
            </option>
          ))}
        </select>
      </Labelled>
      <Labelled id="filter-from" label="From">
        <input
          id="filter-from"
          type="date"
          className={controlClass}
          value={value.from}
          max={value.to || undefined}
          onChange={(e) => set({ from: e.target.value })}
        />
      </Labelled>
      <Labelled id="filter-to" label="To">
        <input
          id="filter-to"
          type="date"
          className={controlClass}
          value={value.to}
          min={value.from || undefined}
          onChange={(e) => set({ to: e.target.value })}
        />
      </Labelled>
      <div className="flex h-8 items-center gap-4 text-sm">
        <label className="flex items-center gap-1.5">
          <input
            type="checkbox"
            checked={value.favorite}
            onChange={(e) => set({ favorite: e.target.checked })}
            className="size-4 accent-accent"
          />
          Favourites
        </label>
        <label className="flex items-center gap-1.5">
          <input
            type="checkbox"
            checked={value.mine}
            onChange={(e) => set({ mine: e.target.checked })}
            className="size-4 accent-accent"
          />
          Mine
        </label>
        <label className="flex items-center gap-1.5" title="Outputs whose product was altered or moved">
          <input
            type="checkbox"
            checked={value.flagged}
            onChange={(e) => set({ flagged: e.target.checked })}
            className="size-4 accent-accent"
          />
          Flagged
        </label>
      </div>
      {active ? (
        <Button variant="ghost" onClick={() => onChange(NO_FILTERS)}>
          Clear filters
        </Button>
      ) : null}
    </form>
  );
}
