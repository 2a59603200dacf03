"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useLayoutEffect, useRef, useState } from "react";

import type { Generation } from "@/lib/scene/generation";

import { GenerationCard } from "./generation-card";

const MIN_CARD = 220;
const GAP = 16;
/** Text under the square thumbnail: prompt (two lines) and badges. */
const CAPTION = 88;

function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(element.clientWidth);
    const observer = new ResizeObserver(([entry]) => setWidth(entry?.contentRect.width ?? 0));
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

/**
 * The cards in rows, rendering only the rows near the viewport so thousands of generations scroll as
 * smoothly as a dozen. Reaching the last rows asks for the next page.
 */
export function GenerationGrid({
  items,
  hasMore,
  loadingMore,
  onLoadMore,
  selected,
  canEdit,
  onOpen,
  onToggleSelect,
  onToggleFavorite,
}: {
  items: readonly Generation[];
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  selected: ReadonlySet<string>;
  canEdit: boolean;
  onOpen: (generation: Generation) => void;
  onToggleSelect: (generation: Generation) => void;
  onToggleFavorite: (generation: Generation) => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const width = useWidth(scroller);
  const inner = Math.max(0, width - 2 * GAP);
  const columns = Math.max(1, Math.floor((inner + GAP) / (MIN_CARD + GAP)));
  const cardWidth = columns > 0 ? (inner - (columns - 1) * GAP) / columns : MIN_CARD;
  const rowCount = Math.ceil(items.length / columns) + (hasMore ? 1 : 0);

  // The virtualizer's functions are not memoisable by the React compiler; it is used as documented.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scroller.current,
    estimateSize: () => cardWidth + CAPTION + GAP,
    overscan: 3,
  });
  useEffect(() => virtualizer.measure(), [virtualizer, cardWidth]);

  const rows = virtualizer.getVirtualItems();
  const lastRow = rows[rows.length - 1]?.index ?? -1;
  useEffect(() => {
    if (hasMore && !loadingMore && lastRow >= rowCount - 3) onLoadMore();
  }, [hasMore, loadingMore, lastRow, rowCount, onLoadMore]);

  return (
    <div ref={scroller} className="min-h-0 flex-1 overflow-auto" data-testid="gallery-scroller">
      <div
        role="list"
        aria-label="Generations"
        className="relative w-full"
        style={{ height: virtualizer.getTotalSize() + GAP }}
      >
        {rows.map((row) => {
          const start = row.index * columns;
          const rowItems = items.slice(start, start + columns);
          return (
            <div
              key={row.key}
              className="absolute left-0 grid w-full"
              style={{
                top: row.start + GAP,
                height: row.size - GAP,
                paddingInline: GAP,
                columnGap: GAP,
                gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`,
              }}
            >
              {rowItems.length === 0 ? (
                <p
                  className="col-span-full self-center text-center text-sm text-ink-muted"
                  aria-live="polite"
                >
                  Loading more…
                </p>
              ) : (
                rowItems.map((generation) => (
                  <div role="listitem" key={generation.id}>
                    <GenerationCard
                      generation={generation}
                      selected={selected.has(generation.id)}
                      canEdit={canEdit}
                      onOpen={() => onOpen(generation)}
                      onToggleSelect={() => onToggleSelect(generation)}
                      onToggleFavorite={() => onToggleFavorite(generation)}
                    />
                  </div>
                ))
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
