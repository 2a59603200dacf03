"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";

import { isSettled, type Generation } from "@/lib/scene/generation";

import { cachedGeneration, storeGeneration } from "./generation-cache";
import { GenerationFollower } from "./generation-follower";
import { generationEventsHref, parseGenerationEvent } from "./generations";
import { pollingForced } from "./live-updates";
import { queryKeys } from "./query-keys";

const RETRY_STREAM_MS = 3_000;

export type LiveGenerations = {
  /** False while the stream is down (or `?updates=poll`): the page's queries poll meanwhile. */
  live: boolean;
  /** The generations the page waits on now (queued or running); stable across renders. */
  follow: (unsettled: readonly string[]) => void;
};

/**
 * The page's one event stream: follows the generations given to `follow` and puts every change into
 * the query cache, so every query of one of them has it at once.
 */
export function useLiveGenerations(
  options: { onSettled?: (generation: Generation) => void } = {},
): LiveGenerations {
  const client = useQueryClient();
  const [forced] = useState(pollingForced);
  const [live, setLive] = useState(!forced);
  const follower = useRef<GenerationFollower | null>(null);
  const wanted = useRef<readonly string[]>([]);
  const onSettled = useRef(options.onSettled);
  useEffect(() => {
    onSettled.current = options.onSettled;
  });

  useEffect(() => {
    if (forced) return;
    const f = new GenerationFollower({
      open: (ids) => new EventSource(generationEventsHref(ids)),
      parse: parseGenerationEvent,
      onGeneration: (generation) => {
        const before = cachedGeneration(client, generation.id);
        storeGeneration(client, generation);
        if (isSettled(generation.status) && !(before && isSettled(before.status)))
          onSettled.current?.(generation);
      },
      // Asking again gives the query its 404, which the page shows as it shows any missing one.
      onGone: (id) => {
        void client.invalidateQueries({ queryKey: queryKeys.generations.detail(id) });
        void client.invalidateQueries({ queryKey: queryKeys.generations.lists() });
      },
      onLiveChange: setLive,
      retryMs: RETRY_STREAM_MS,
    });
    follower.current = f;
    f.follow(wanted.current);
    return () => {
      f.close();
      follower.current = null;
    };
  }, [client, forced]);

  const follow = useCallback((ids: readonly string[]) => {
    wanted.current = ids;
    follower.current?.follow(ids);
  }, []);
  return useMemo(() => ({ live, follow }), [live, follow]);
}

/** Follows `unsettled` with the page's stream, as that set changes. */
export function useFollow(updates: LiveGenerations, unsettled: readonly string[]): void {
  const { follow } = updates;
  const key = unsettled.join(" ");
  useEffect(() => {
    follow(key ? key.split(" ") : []);
  }, [follow, key]);
}

/** Which of `ids` the cache knows as queued or running, as the cache changes. */
export function useUnsettledIds(ids: readonly string[]): string[] {
  const client = useQueryClient();
  const key = useSyncExternalStore(
    (onChange) => client.getQueryCache().subscribe(onChange),
    () =>
      ids
        .filter((id) => {
          const generation = cachedGeneration(client, id);
          return generation !== undefined && !isSettled(generation.status);
        })
        .join(" "),
    () => "",
  );
  return useMemo(() => (key ? key.split(" ") : []), [key]);
}
