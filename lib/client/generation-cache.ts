/** Puts generations the browser learns about into the query cache, so every view of one agrees. */
import type { InfiniteData, QueryClient } from "@tanstack/react-query";

import type { Generation, GenerationPage } from "@/lib/scene/generation";

import { queryKeys } from "./query-keys";

export type GenerationPages = InfiniteData<GenerationPage, string | undefined>;

/** The generation as the detail query's data and in every cached gallery page that lists it. */
export function storeGeneration(client: QueryClient, next: Generation): void {
  client.setQueriesData<GenerationPages>({ queryKey: queryKeys.generations.lists() }, (data) =>
    data
      ? {
          ...data,
          pages: data.pages.map((page) => ({
            ...page,
            items: page.items.map((g) => (g.id === next.id ? next : g)),
          })),
        }
      : data,
  );
  client.setQueryData(queryKeys.generations.detail(next.id), next);
}

export function cachedGeneration(client: QueryClient, id: string): Generation | undefined {
  return client.getQueryData<Generation>(queryKeys.generations.detail(id));
}
