"use client";

import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";

import { isSettled, type Generation } from "@/lib/scene/generation";

import { storeGeneration } from "./generation-cache";
import type { GenerationFilters } from "./generation-filters";
import { fetchGenerationPage, removeGeneration, saveFavorite } from "./generations";
import { queryKeys } from "./query-keys";
import { failureMessage } from "./request";

/**
 * The gallery's pages, newest first. Work in progress is polled every `pollMs` only when given (the
 * page's event stream is down); otherwise the stream keeps the pages current.
 */
export function useGenerationList(filters: GenerationFilters, options: { pollMs?: number | false } = {}) {
  const { pollMs } = options;
  return useInfiniteQuery({
    queryKey: queryKeys.generations.list(filters),
    queryFn: ({ pageParam, signal }) => fetchGenerationPage(filters, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: (query) =>
      pollMs && query.state.data?.pages.some((p) => p.items.some((g) => !isSettled(g.status)))
        ? pollMs
        : false,
  });
}

export function useToggleFavorite() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (g: Generation) => saveFavorite(g.id, !g.favorite),
    onSuccess: (next) => storeGeneration(client, next),
  });
}

export function useRemoveGeneration() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (g: Generation) => removeGeneration(g.id),
    onSuccess: (_, g) => {
      client.removeQueries({ queryKey: queryKeys.generations.detail(g.id) });
      void client.invalidateQueries({ queryKey: queryKeys.generations.lists() });
    },
  });
}

/**
 * Deletes several generations one after another (the gallery's bulk delete); each one the server
 * refuses is reported with its reason, and the others are deleted all the same.
 */
export function useRemoveGenerations() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (chosen: readonly Generation[]) => {
      const removed: string[] = [];
      const failed: { id: string; message: string }[] = [];
      for (const g of chosen) {
        try {
          await removeGeneration(g.id);
          removed.push(g.id);
        } catch (error) {
          failed.push({ id: g.id, message: failureMessage(error, "Could not delete") });
        }
      }
      return { removed, failed };
    },
    onSettled: (result) => {
      for (const id of result?.removed ?? [])
        client.removeQueries({ queryKey: queryKeys.generations.detail(id) });
      void client.invalidateQueries({ queryKey: queryKeys.generations.lists() });
    },
  });
}
