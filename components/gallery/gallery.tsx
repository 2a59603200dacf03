"use client";

import {
  QueryClient,
  QueryClientProvider,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type InfiniteData,
} from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo, useState } from "react";

import { ApiFailure } from "@/components/ui/api-request";
import { Button, buttonClass } from "@/components/ui/button";
import { isSettled, type Generation, type GenerationPage } from "@/lib/scene/generation";

import {
  fetchGeneration,
  fetchPage,
  filtersFromParams,
  filtersToParams,
  removeGeneration,
  saveFavorite,
  zipHref,
  type GalleryFilters,
} from "./api";
import { CompareView, type ComparedOutput } from "./compare-view";
import { promptOf } from "./describe";
import { DetailView } from "./detail-view";
import { FiltersBar } from "./filters-bar";
import { GenerationGrid } from "./generation-grid";
import { Modal } from "./modal";

const LIVE_REFRESH_MS = 2000;
type Pages = InfiniteData<GenerationPage, string | undefined>;

/** Puts a changed generation into every cached page, so the grid and the detail agree at once. */
function patchCached(client: QueryClient, next: Generation) {
  client.setQueriesData<Pages>({ queryKey: ["generations"] }, (data) =>
    data
      ? {
          ...data,
          pages: data.pages.map((p) => ({ ...p, items: p.items.map((g) => (g.id === next.id ? next : g)) })),
        }
      : data,
  );
  client.setQueryData(["generation", next.id], next);
}

function GalleryWorkspace({ canEdit }: { canEdit: boolean }) {
  const client = useQueryClient();
  const pathname = usePathname();
  const params = useSearchParams();
  // The filters live in state (the URL updates later, asynchronously) and are mirrored into the URL so
  // a reload or a shared link shows the same view.
  const [filters, setFilterState] = useState(() => filtersFromParams(new URLSearchParams(params.toString())));
  const setFilters = useCallback(
    (next: GalleryFilters) => {
      setFilterState(next);
      const query = filtersToParams(next).toString();
      // The browser's own history call: Next keeps it in step without a server round trip per filter.
      window.history.replaceState(null, "", query ? `${pathname}?${query}` : pathname);
    },
    [pathname],
  );

  const list = useInfiniteQuery({
    queryKey: ["generations", filters],
    queryFn: ({ pageParam, signal }) => fetchPage(filters, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // Work in progress lands in the grid without a reload.
    refetchInterval: (query) =>
      query.state.data?.pages.some((p) => p.items.some((g) => !isSettled(g.status)))
        ? LIVE_REFRESH_MS
        : false,
  });
  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);

  const [openId, setOpenId] = useState<string | undefined>();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [comparing, setComparing] = useState<ComparedOutput[] | undefined>();
  const [confirmDelete, setConfirmDelete] = useState<Generation | undefined>();
  const [notice, setNotice] = useState<string | undefined>();

  const openFromList = items.find((g) => g.id === openId);
  const detail = useQuery({
    queryKey: ["generation", openId],
    queryFn: () => fetchGeneration(openId ?? ""),
    enabled: Boolean(openId),
    ...(openFromList ? { initialData: openFromList } : {}),
    refetchInterval: (query) =>
      query.state.data && !isSettled(query.state.data.status) ? LIVE_REFRESH_MS : false,
  });

  const favorite = useMutation({
    mutationFn: (g: Generation) => saveFavorite(g.id, !g.favorite),
    onSuccess: (next) => patchCached(client, next),
    onError: (error) =>
      setNotice(error instanceof ApiFailure ? error.message : "Could not change the favourite"),
  });
  const remove = useMutation({
    mutationFn: (g: Generation) => removeGeneration(g.id),
    onSuccess: (_, g) => {
      setConfirmDelete(undefined);
      setOpenId(undefined);
      setSelected((s) => {
        const next = new Set(s);
        next.delete(g.id);
        return next;
      });
      setNotice("Generation deleted");
      void client.invalidateQueries({ queryKey: ["generations"] });
    },
    onError: (error) => setNotice(error instanceof ApiFailure ? error.message : "Could not delete"),
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
  const compareCandidates: ComparedOutput[] = selectedItems.flatMap((g) => {
    const first = g.outputs.find((o) => o.url);
    return first ? [{ ...first, label: promptOf(g.request).slice(0, 40) }] : [];
  });
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
            <Button size="sm" variant="ghost" onClick={() => setSelected(new Set())}>
              Clear selection
            </Button>
          </>
        ) : (
          <span className="text-ink-muted">
            {list.isPending
              ? "Loading…"
              : `${items.length}${list.hasNextPage ? "+" : ""} generation${items.length === 1 ? "" : "s"}, newest first`}
          </span>
        )}
        {notice ? (
          <span role="status" className="ml-auto text-ink-soft">
            {notice}
          </span>
        ) : null}
      </div>

      {list.isError ? (
        <p role="alert" className="m-6 text-danger">
          {list.error instanceof ApiFailure ? list.error.message : "The gallery could not be loaded."}
        </p>
      ) : !list.isPending && items.length === 0 ? (
        <div
          className="m-auto flex flex-col items-center gap-2 p-10 text-center text-ink-soft"
          data-testid="gallery-empty"
        >
          <p>
            No generations
            {JSON.stringify(filters) === JSON.stringify(filtersFromParams(new URLSearchParams()))
              ? " yet"
              : " match these filters"}
            .
          </p>
          <Link href="/" className="text-accent-strong underline">
            Open the composer
          </Link>
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
          onToggleFavorite={(g) => favorite.mutate(g)}
        />
      )}

      <Modal open={Boolean(openId && shown)} onClose={() => setOpenId(undefined)} labelledBy="detail-title">
        {shown ? (
          <DetailView
            generation={shown}
            canEdit={canEdit}
            onClose={() => setOpenId(undefined)}
            onToggleFavorite={() => favorite.mutate(shown)}
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
        <div className="flex w-[min(1200px,94vw)] flex-col gap-3 p-4">
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
              {remove.error instanceof ApiFailure ? remove.error.message : "Could not delete"}
            </p>
          ) : null}
          <div className="flex justify-end gap-2">
            <Button autoFocus onClick={() => setConfirmDelete(undefined)}>
              Cancel
            </Button>
            <Button
              variant="danger"
              disabled={remove.isPending}
              onClick={() => confirmDelete && remove.mutate(confirmDelete)}
            >
              {remove.isPending ? "Deleting…" : "Delete"}
            </Button>
          </div>
        </div>
      </Modal>
    </div>
  );
}

/** The gallery: every generation, newest first, filterable, with detail, compare, favourite, delete, download. */
export function Gallery({ canEdit }: { canEdit: boolean }) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: true, staleTime: 5_000 } },
      }),
  );
  return (
    <QueryClientProvider client={client}>
      <GalleryWorkspace canEdit={canEdit} />
    </QueryClientProvider>
  );
}
