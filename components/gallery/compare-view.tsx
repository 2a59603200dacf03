"use client";

import { useState } from "react";

import type { GenerationOutput } from "@/lib/scene/generation";

export type ComparedOutput = GenerationOutput & { label: string };

/**
 * Outputs side by side; two of them share one frame with a slider between them (drag it, or focus it
 * and use the arrow keys).
 */
export function CompareView({ outputs }: { outputs: readonly ComparedOutput[] }) {
  const [position, setPosition] = useState(50);
  const [left, right] = outputs;
  if (outputs.length === 2 && left?.url && right?.url) {
    return (
      <div className="flex flex-col gap-3" data-testid="compare-slider">
        <div className="relative mx-auto w-full max-w-[min(80vw,80dvh)] select-none">
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img src={right.url} alt={right.label} className="block w-full" draggable={false} />
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img
            src={left.url}
            alt={left.label}
            draggable={false}
            // Images of another aspect ratio are letterboxed in the same frame, never stretched.
            className="absolute inset-0 block size-full object-contain"
            style={{ clipPath: `inset(0 ${100 - position}% 0 0)` }}
          />
          <div
            aria-hidden
            className="pointer-events-none absolute inset-y-0 w-0.5 bg-white shadow-[0_0_0_1px_rgba(0,0,0,0.3)]"
            style={{ left: `${position}%` }}
          />
        </div>
        <label className="mx-auto flex w-full max-w-md items-center gap-3 text-xs text-ink-soft">
          <span className="shrink-0">{left.label}</span>
          <input
            type="range"
            min={0}
            max={100}
            value={position}
            onChange={(event) => setPosition(Number(event.target.value))}
            aria-label="Compare position"
            aria-valuetext={`${position}% ${left.label}`}
            className="flex-1 accent-accent"
          />
          <span className="shrink-0">{right.label}</span>
        </label>
      </div>
    );
  }
  return (
    <div
      className={`grid gap-3 ${outputs.length === 3 ? "grid-cols-3" : "grid-cols-2"}`}
      data-testid="compare-grid"
    >
      {outputs.map((output) => (
        <figure key={output.id} className="flex flex-col gap-1">
          {output.url ? (
            // eslint-disable-next-line @next/next/no-img-element
            <img
              src={output.url}
              alt={output.label}
              className="w-full rounded border border-canvas-line bg-canvas object-contain"
            />
          ) : (
            <div className="flex aspect-square items-center justify-center rounded bg-canvas text-xs text-ink-muted">
              Not stored
            </div>
          )}
          <figcaption className="text-xs text-ink-soft">{output.label}</figcaption>
        </figure>
      ))}
    </div>
  );
}
