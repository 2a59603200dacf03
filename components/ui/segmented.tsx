"use client";

import { useRef } from "react";

export type SegmentOption<V extends string> = { value: V; label: string; disabled?: boolean };

/**
 * A radio group drawn as a segmented control: arrow keys move between options (one tab stop),
 * as native radios do.
 */
export function Segmented<V extends string>({
  label,
  name,
  value,
  options,
  onChange,
  size = "md",
}: {
  label: string;
  name: string;
  value: V;
  options: readonly SegmentOption<V>[];
  onChange: (value: V) => void;
  size?: "sm" | "md";
}) {
  const group = useRef<HTMLDivElement>(null);
  const enabled = options.filter((o) => !o.disabled);
  const move = (delta: number) => {
    const index = enabled.findIndex((o) => o.value === value);
    const next = enabled[(index + delta + enabled.length) % enabled.length];
    if (!next) return;
    onChange(next.value);
    group.current?.querySelector<HTMLButtonElement>(`[data-value="${next.value}"]`)?.focus();
  };
  return (
    <div
      ref={group}
      role="radiogroup"
      aria-label={label}
      className="grid auto-cols-fr grid-flow-col gap-0.5 rounded-md border border-canvas-line bg-canvas p-0.5"
      onKeyDown={(event) => {
        if (event.key === "ArrowRight" || event.key === "ArrowDown") move(1);
        else if (event.key === "ArrowLeft" || event.key === "ArrowUp") move(-1);
        else return;
        event.preventDefault();
        event.stopPropagation();
      }}
    >
      {options.map((option) => {
        const checked = option.value === value;
        return (
          <button
            key={option.value}
            type="button"
            role="radio"
            name={name}
            data-value={option.value}
            aria-checked={checked}
            disabled={option.disabled}
            tabIndex={checked ? 0 : -1}
            onClick={() => onChange(option.value)}
            className={`rounded-[5px] font-medium transition-colors disabled:opacity-40 ${
              size === "sm" ? "h-6 px-1.5 text-xs" : "h-7 px-2 text-xs"
            } ${checked ? "bg-canvas-panel text-ink shadow-sm" : "text-ink-soft hover:text-ink"}`}
          >
            {option.label}
          </button>
        );
      })}
    </div>
  );
}
