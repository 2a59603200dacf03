"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo, useState } from "react";

import { Button, buttonClass } from "@/components/ui/button";
import {
  filtersFromParams,
  filtersToParams,
  NO_FILTERS,
  type GenerationFilters,
} from "@/lib/client/generation-filters";
import { zipHref } from "@/lib/client/generations";
import { queryKeys } from "@/lib/client/query-keys";
import { failureMessage } from "@/lib/client/request";
import { useGeneration } from "@/lib/client/use-generation";
import {
  useGenerationList,
  useRemoveGeneration,
  useRemoveGenerations,
  useToggleFavorite,
} from "@/lib/client/use-generation-list";
import { useFollow, useLiveGenerations } from "@/lib/client/use-live-generations";
import { isSettled, type Generation } from "@/lib/scene/generation";

import { compareLabels } from "./compare-labels";
import { CompareView, type ComparedOutput } from "./compare-view";
import { DetailView } from "./detail-view";
import { FiltersBar } from "./filters-bar";
import { GenerationGrid } from "./generation-grid";
import { Modal } from "./modal";

/** How often work in progress is asked for while the event stream is down. */
const FALLBACK_POLL_MS = 2000;

/** The gallery: every generation, newest first, filterable, with detail, compare, favourite, delete, download. */
export function Gallery({ canEdit }: { canEdit: boolean }) {
  const client = useQueryClient();
  const pathname = usePathname();
  const params = useSearchParams();
  // The filters live in state (the URL updates later, asynchronously) and are mirrored into the URL so
  // a reload or a shared link shows the same view.
  const [filters, setFilterState] = useState(() => filtersFromParams(new URLSearchParams(params.toString())));
  const setFilters = useCallback(
    (next: GenerationFilters) => {
      setFilterState(next);
      const query = filtersToParams(next).toString();
      // The browser's own history call: Next keeps it in step without a server round trip per filter.
      window.history.replaceState(null, "", query ? `${pathname}?${query}` : pathname);
    },
    [pathname],
  );

  // Work in progress lands in the grid without a reload: pushed by the event stream, polled without it.
  // A generation that settles may leave the filtered list (or make room for one): the list is asked again.
  const updates = useLiveGenerations({
    onSettled: () => void client.invalidateQueries({ queryKey: queryKeys.generations.lists() }),
  });
  const pollMs = updates.live ? false : FALLBACK_POLL_MS;
  const list = useGenerationList(filters, { pollMs });
  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const unsettled = useMemo(() => items.filter((g) => !isSettled(g.status)).map((g) => g.id), [items]);
  useFollow(updates, unsettled);

  const [openId, setOpenId] = useState<string | undefined>();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [comparing, setComparing] = useState<ComparedOutput[] | undefined>();
  const [confirmDelete, setConfirmDelete] = useState<Generation | undefined>();
  const [confirmBulk, setConfirmBulk] = useState<Generation[] | undefined>();
  const [notice, setNotice] = useState<string | undefined>();

  const openFromList = items.find((g) => g.id === openId);
  const detail = useGeneration(openId, { pollMs, ...(openFromList ? { initialData: openFromList } : {}) });

  const favoriteMutation = useToggleFavorite();
  const favorite = (g: Generation) =>
    favoriteMutation.mutate(g, {
      onError: (error) => setNotice(failureMessage(error, "Could not change the favourite")),
    });
  const remove = useRemoveGeneration();
  const confirmRemove = (g: Generation) =>
    remove.mutate(g, {
      onSuccess: () => {
        setConfirmDelete(undefined);
        setOpenId(undefined);
        setSelected((s) => {
          const next = new Set(s);
          next.delete(g.id);
          return next;
        });
        setNotice("Generation deleted");
      },
      onError: (error) => setNotice(failureMessage(error, "Could not delete")),
    });

  const removeMany = useRemoveGenerations();
  const confirmRemoveMany = (chosen: Generation[]) =>
    removeMany.mutate(chosen, {
      onSuccess: ({ removed, failed }) => {
        setConfirmBulk(undefined);
        setSelected((s) => {
          const next = new Set(s);
          for (const id of removed) next.delete(id);
          return next;
        });
        setNotice(
          failed.length === 0
            ? `${removed.length} generation${removed.length === 1 ? "" : "s"} deleted`
            : `${removed.length} deleted; ${failed.length} could not be: ${failed[0]?.message ?? ""}`,
        );
      },
    });

  const toggleSelect = useCallback((g: Generation) => {
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(g.id)) next.delete(g.id);
      else next.add(g.id);
      return next;
    });
  }, []);

  const selectedItems = items.filter((g) => selected.has(g.id));
  const withImages = selectedItems.filter((g) => g.outputs.some((o) => o.url));
  const labels = compareLabels(withImages);
  const compareCandidates: ComparedOutput[] = withImages.flatMap((g, i) => {
    const first = g.outputs.find((o) => o.url);
    return first ? [{ ...first, ...labels[i]! }] : [];
  });
  const deletable = selectedItems.filter((g) => isSettled(g.status));
  const failedItems = items.filter((g) => g.status === "failed");
  const filtered = JSON.stringify(filters) !== JSON.stringify(NO_FILTERS);
  const canCompare = compareCandidates.length >= 2 && compareCandidates.length <= 4;
  const shown = detail.data ?? openFromList;

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <FiltersBar value={filters} onChange={setFilters} />
      <div
        className="flex min-h-11 flex-wrap items-center gap-2 border-b border-canvas-line px-4 py-1.5 text-sm"
        aria-live="polite"
      >
        {selected.size > 0 ? (
          <>
            <span data-testid="selection-count">{selected.size} selected</span>
            <a
              href={zipHref({ generations: [...selected] })}
              download
              className={buttonClass("secondary", "sm")}
            >
              Download selection (zip)
            </a>
            <Button
              size="sm"
              disabled={!canCompare}
              title={canCompare ? undefined : "Select 2 to 4 generations with stored images"}
              onClick={() => setComparing(compareCandidates)}
            >
              Compare
            </Button>
            {canEdit ? (
              <Button
                size="sm"
                variant="danger"
                disabled={deletable.length === 0}
                title={deletable.length === 0 ? "Generations still running cannot be deleted yet" : undefined}
                onClick={() => setConfirmBulk(deletable)}
              >
                Delete selected…
              </Button>
            ) : null}
            <Button size="sm" variant="ghost" onClick={() => setSelected(new Set())}>
              Clear selection
            </Button>
          </>
        ) : (
          <span className="text-ink-soft">
            {list.isPending
              ? "Loading…"
              : `${items.length}${list.hasNextPage ? "+" : ""} generation${items.length === 1 ? "" : "s"}, newest first`}
          </span>
        )}
        {canEdit && failedItems.length > 0 && failedItems.some((g) => !selected.has(g.id)) ? (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => setSelected((s) => new Set([...s, ...failedItems.map((g) => g.id)]))}
          >
            Select the failed ({failedItems.length})
          </Button>
        ) : null}
        {notice ? (
          <span role="status" className="ml-auto text-ink-soft">
            {notice}
          </span>
        ) : null}
      </div>

      {list.isError ? (
        <p role="alert" className="m-6 text-danger">
          {failureMessage(list.error, "The gallery could not be loaded.")}
        </p>
      ) : !list.isPending && items.length === 0 ? (
        <div
          className="m-auto flex flex-col items-center gap-3 p-10 text-center text-ink-soft"
          data-testid="gallery-empty"
        >
          {filtered ? (
            <>
              <p>No generations match these filters.</p>
              <Button variant="primary" onClick={() => setFilters(NO_FILTERS)}>
                Clear filters
              </Button>
            </>
          ) : (
            <>
              <p>No generations yet.</p>
              {canEdit ? (
                <Link href="/" className="text-accent-strong underline">
                  Open the composer
                </Link>
              ) : (
                <p className="text-sm">What members generate appears here.</p>
              )}
            </>
          )}
        </div>
      ) : (
        <GenerationGrid
          items={items}
          hasMore={Boolean(list.hasNextPage)}
          loadingMore={list.isFetchingNextPage}
          onLoadMore={() => void list.fetchNextPage()}
          selected={selected}
          canEdit={canEdit}
          onOpen={(g) => setOpenId(g.id)}
          onToggleSelect={toggleSelect}
          onToggleFavorite={favorite}
        />
      )}

      <Modal open={Boolean(openId && shown)} onClose={() => setOpenId(undefined)} labelledBy="detail-title">
        {shown ? (
          <DetailView
            generation={shown}
            canEdit={canEdit}
            onClose={() => setOpenId(undefined)}
            onToggleFavorite={() => favorite(shown)}
            onDelete={() => setConfirmDelete(shown)}
          />
        ) : null}
      </Modal>

      <Modal
        open={Boolean(comparing)}
        onClose={() => setComparing(undefined)}
        labelledBy="compare-title"
        testId="compare-dialog"
      >
        <div className="flex w-[min(1400px,96vw)] flex-col gap-3 p-4">
          <div className="flex items-center">
            <h2 id="compare-title" className="text-base font-semibold">
              Compare {comparing?.length ?? 0} images
            </h2>
            <Button
              variant="ghost"
              className="ml-auto"
              onClick={() => setComparing(undefined)}
              aria-label="Close"
            >
              ✕
            </Button>
          </div>
          {comparing ? <CompareView outputs={comparing} /> : null}
        </div>
      </Modal>

      <Modal
        open={Boolean(confirmBulk)}
        onClose={() => setConfirmBulk(undefined)}
        labelledBy="bulk-delete-title"
        testId="confirm-bulk-delete"
      >
        <div className="flex w-[min(440px,90vw)] flex-col gap-3 p-5">
          <h2 id="bulk-delete-title" className="text-base font-semibold">
            Delete {confirmBulk?.length ?? 0} generation{confirmBulk?.length === 1 ? "" : "s"}?
          </h2>
          <p className="text-sm text-ink-soft">
            Their records and images are removed for everyone. Images another generation or upload also uses
            are kept.
            {deletable.length < selected.size ? " Generations still running are left alone." : ""}
          </p>
          <div className="flex justify-end gap-2">
            <Button autoFocus onClick={() => setConfirmBulk(undefined)}>
              Cancel
            </Button>
            <Button
              variant="danger"
              disabled={removeMany.isPending}
              onClick={() => confirmBulk && confirmRemoveMany(confirmBulk)}
            >
              {removeMany.isPending ? "Deleting…" : "Delete all"}
            </Button>
          </div>
        </div>
      </Modal>

      <Modal
        open={Boolean(confirmDelete)}
        onClose={() => setConfirmDelete(undefined)}
        labelledBy="delete-title"
        testId="confirm-delete"
      >
        <div className="flex w-[min(440px,90vw)] flex-col gap-3 p-5">
          <h2 id="delete-title" className="text-base font-semibold">
            Delete this generation?
          </h2>
          <p className="text-sm text-ink-soft">
            Its record and images are removed for everyone. Images another generation or upload also uses are
            kept.
          </p>
          {remove.isError ? (
            <p role="alert" className="text-sm text-danger">
              {failureMessage(remove.error, "Could not delete")}
            </p>
          ) : null}
          <div className="flex justify-end gap-2">
            <Button autoFocus onClick={() => setConfirmDelete(undefined)}>
              Cancel
            </Button>
            <Button
              variant="danger"
              disabled={remove.isPending}
              onClick={() => confirmDelete && confirmRemove(confirmDelete)}
            >
              {remove.isPending ? "Deleting…" : "Delete"}
            </Button>
          </div>
        </div>
      </Modal>
    </div>
  );
}
