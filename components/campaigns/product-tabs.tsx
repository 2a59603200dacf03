"use client";

import { useRef } from "react";

/** One tab per product over a grid (arrow keys move between tabs, as a tab list does). */
export function ProductTabs({
  names,
  current,
  onSelect,
  idPrefix,
}: {
  names: readonly string[];
  current: number;
  onSelect: (index: number) => void;
  idPrefix: string;
}) {
  const list = useRef<HTMLDivElement>(null);
  if (names.length < 2) return null;
  const move = (delta: number) => {
    const next = (current + delta + names.length) % names.length;
    onSelect(next);
    list.current?.querySelector<HTMLButtonElement>(`[data-index="${next}"]`)?.focus();
  };
  return (
    <div
      ref={list}
      role="tablist"
      aria-label="Products"
      className="flex flex-wrap gap-1 border-b border-canvas-line"
      onKeyDown={(event) => {
        if (event.key === "ArrowRight") move(1);
        else if (event.key === "ArrowLeft") move(-1);
        else return;
        event.preventDefault();
      }}
    >
      {names.map((name, index) => (
        <button
          key={`${name}-${index}`}
          type="button"
          role="tab"
          id={`${idPrefix}-tab-${index}`}
          data-index={index}
          aria-selected={index === current}
          aria-controls={`${idPrefix}-panel`}
          tabIndex={index === current ? 0 : -1}
          onClick={() => onSelect(index)}
          className="-mb-px rounded-t-md border border-transparent px-3 py-1.5 text-sm text-ink-soft aria-selected:border-canvas-line aria-selected:border-b-canvas-panel aria-selected:bg-canvas-panel aria-selected:text-ink"
        >
          {name}
        </button>
      ))}
    </div>
  );
}
