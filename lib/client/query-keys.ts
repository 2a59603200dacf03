/**
 * Every query key of the app, from one factory: a key says which resource it caches, and the prefixes
 * (`generations.all`, `generations.lists()`) are what invalidation and cache patches match on.
 */
import type { GenerationFilters } from "./generation-filters";

export const queryKeys = {
  engines: () => ["engines"] as const,
  generations: {
    all: () => ["generations"] as const,
    lists: () => ["generations", "list"] as const,
    list: (filters: GenerationFilters) => ["generations", "list", filters] as const,
    detail: (id: string) => ["generations", "detail", id] as const,
  },
  campaigns: {
    all: () => ["campaigns"] as const,
    list: () => ["campaigns", "list"] as const,
    detail: (id: string) => ["campaigns", "detail", id] as const,
    preview: (plan: unknown) => ["campaigns", "preview", plan] as const,
  },
  presets: () => ["presets"] as const,
  members: () => ["members"] as const,
  tokens: () => ["tokens"] as const,
};
