"use client";

import { QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";

import { getQueryClient } from "./query-client";

/**
 * The query cache around whatever reads server data. The gallery and settings pages wrap their
 * content in one; the composer wraps only the parts that load after hydration (results, the Generate
 * panel), so the query library is not part of its first paint. Every provider on a page shares the
 * page's one client.
 */
export function QueryProvider({ children }: { children: React.ReactNode }) {
  const [client] = useState(getQueryClient);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
