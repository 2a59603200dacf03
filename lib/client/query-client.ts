import { QueryClient } from "@tanstack/react-query";

/** How long an answer counts as fresh: a focused tab refreshes what is older. */
export const FRESH_MS = 5_000;

/**
 * The one query configuration of the app. One retry covers a dropped connection; a focused tab
 * refreshes what has been on screen for more than a few seconds. Queries that know better (settled
 * generations never change by themselves, engines rarely) say so where they are declared.
 */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: 1, staleTime: FRESH_MS, refetchOnWindowFocus: true },
    },
  });
}

let browserClient: QueryClient | undefined;

/**
 * The page's client (TanStack's pattern for the app router): in the browser one per page load, shared
 * by every `QueryProvider` on the page; on the server a new one each time, so requests never share a
 * cache.
 */
export function getQueryClient(): QueryClient {
  if (typeof window === "undefined") return makeQueryClient();
  return (browserClient ??= makeQueryClient());
}
