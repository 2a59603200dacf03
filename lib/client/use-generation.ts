"use client";

import { useQuery } from "@tanstack/react-query";

import { isFinal, type Generation } from "@/lib/scene/generation";

import { fetchGeneration } from "./generations";
import { FRESH_MS } from "./query-client";
import { queryKeys } from "./query-keys";

/**
 * One generation. A final one (settled, its outputs checked) never changes by itself, so it is not asked for again; one in
 * progress is polled every `pollMs` only when given (the page's event stream is down).
 */
export function useGeneration(
  id: string | undefined,
  options: { pollMs?: number | false; initialData?: Generation } = {},
) {
  const { pollMs, initialData } = options;
  return useQuery({
    queryKey: queryKeys.generations.detail(id ?? ""),
    queryFn: ({ signal }) => fetchGeneration(id ?? "", signal),
    enabled: Boolean(id),
    ...(initialData ? { initialData } : {}),
    staleTime: (query) => (query.state.data && isFinal(query.state.data) ? Infinity : FRESH_MS),
    refetchInterval: (query) => {
      if (!pollMs) return false;
      const data = query.state.data;
      if (!data) return query.state.error ? false : pollMs;
      return isFinal(data) ? false : pollMs;
    },
  });
}
