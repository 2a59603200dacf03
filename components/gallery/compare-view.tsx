"use client";

import { useState } from "react";

import type { GenerationOutput } from "@/lib/scene/generation";

import type { CompareLabel } from "./compare-labels";

export type ComparedOutput = GenerationOutput & CompareLabel;

function describe(output: ComparedOutput): string {
  return [output.title, ...output.facts].join(", ");
}

function Caption({ output, id }: { output: ComparedOutput; id?: string }) {
  return (
    <figcaption id={id} className="flex min-w-0 flex-col text-xs" data-testid="compare-label">
      <span className="truncate font-medium text-ink" title={output.title}>
        {output.title}
      </span>
      <span className="truncate text-ink-soft">{output.facts.join(" · ")}</span>
    </figcaption>
  );
}

/**
 * The box an image is shown in: as wide as its column and as tall as its own ratio makes it, never
 * taller than `maxHeight`, so two to four images fit one screen whatever their ratios.
 */
function frameStyle(output: ComparedOutput, maxHeight: string): React.CSSProperties {
  return { aspectRatio: `${output.width} / ${output.height}`, maxHeight };
}

/**
 * Two to four outputs on one screen. Two share one frame with a slider between them (drag it, or
 * focus it and use the arrow keys); three or four stand side by side.
 */
export function CompareView({ outputs }: { outputs: readonly ComparedOutput[] }) {
  const [position, setPosition] = useState(50);
  const [left, right] = outputs;
  if (outputs.length === 2 && left?.url && right?.url) {
    return (
      <div className="flex flex-col gap-3" data-testid="compare-slider">
        <div
          className="relative mx-auto select-none"
          // The frame takes the right image's ratio, as wide as the dialog allows and at most 64% of
          // the screen's height; the left image is letterboxed into it, never stretched.
          style={{
            aspectRatio: `${right.width} / ${right.height}`,
            width: `min(100%, calc(64dvh * ${right.width / right.height}))`,
          }}
        >
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img
            src={right.url}
            alt={describe(right)}
            className="absolute inset-0 block size-full bg-canvas object-contain"
            draggable={false}
          />
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img
            src={left.url}
            alt={describe(left)}
            draggable={false}
            className="absolute inset-0 block size-full object-contain"
            style={{ clipPath: `inset(0 ${100 - position}% 0 0)` }}
          />
          <div
            aria-hidden
            className="pointer-events-none absolute inset-y-0 w-0.5 bg-white shadow-[0_0_0_1px_rgba(0,0,0,0.3)]"
            style={{ left: `${position}%` }}
          />
        </div>
        <div className="mx-auto grid w-full max-w-3xl grid-cols-[1fr_minmax(8rem,20rem)_1fr] items-center gap-4">
          <Caption output={left} />
          <input
            type="range"
            min={0}
            max={100}
            value={position}
            onChange={(event) => setPosition(Number(event.target.value))}
            aria-label="Compare position"
            aria-valuetext={`${position}% ${left.title}`}
            className="accent-accent"
          />
          <div className="text-right">
            <Caption output={right} />
          </div>
        </div>
      </div>
    );
  }
  const columns =
    outputs.length === 4
      ? "grid-cols-2 lg:grid-cols-4"
      : outputs.length === 3
        ? "grid-cols-3"
        : "grid-cols-2";
  // Four in two rows on narrow screens: each image then gets half the height.
  const maxHeight = outputs.length === 4 ? "min(62dvh, 50vw)" : "62dvh";
  return (
    <div className={`grid items-start gap-3 ${columns}`} data-testid="compare-grid">
      {outputs.map((output) => (
        <figure key={output.id} className="flex min-w-0 flex-col gap-1">
          {output.url ? (
            <div
              className="w-full rounded border border-canvas-line bg-canvas"
              style={frameStyle(output, maxHeight)}
            >
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img src={output.url} alt={describe(output)} className="block size-full object-contain" />
            </div>
          ) : (
            <div className="flex aspect-square items-center justify-center rounded bg-canvas text-xs text-ink-soft">
              Not stored
            </div>
          )}
          <Caption output={output} />
        </figure>
      ))}
    </div>
  );
}
