"use client";

import { useQuery } from "@tanstack/react-query";

import { fetchEngines } from "./engines";
import { queryKeys } from "./query-keys";

/** The engines this server offers; that changes only with its configuration. */
export function useEngines() {
  return useQuery({ queryKey: queryKeys.engines(), queryFn: fetchEngines, staleTime: 60_000 });
}
