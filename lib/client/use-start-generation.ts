"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";

import type { SceneCreateRequest } from "@/lib/scene/contract";
import type { Engine, Generation } from "@/lib/scene/generation";

import { storeGeneration } from "./generation-cache";
import { createGeneration } from "./generations";

/**
 * Records a generation and queues it. The answer goes into the cache at once, so its result card has
 * data (and the page's event stream an id to follow) without asking again.
 */
export function useStartGeneration(onStarted: (generation: Generation) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ request, engine }: { request: SceneCreateRequest; engine: Engine }) =>
      createGeneration(request, engine),
    onSuccess: (generation) => {
      storeGeneration(client, generation);
      onStarted(generation);
    },
  });
}
