"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { deletePreset, fetchPresets, savePreset } from "./campaigns";
import { queryKeys } from "./query-keys";

/** The team's saved scenes, for the campaign page and the composer. */
export function usePresets() {
  return useQuery({ queryKey: queryKeys.presets(), queryFn: ({ signal }) => fetchPresets(signal) });
}

/** Saves a scene under a name; the list is asked for again afterwards. */
export function useSavePreset() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: savePreset,
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.presets() }),
  });
}

export function useDeletePreset() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: deletePreset,
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.presets() }),
  });
}
