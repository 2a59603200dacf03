"use client";

import { useEffect, useReducer, useRef, useState } from "react";

import { queryKeys } from "@/lib/client/query-keys";
import { serialize, STORAGE_KEY } from "@/lib/composer/persist";
import { composerReducer, initialState } from "@/lib/composer/reducer";

import { loadApi } from "./api-loader";

/**
 * The composer's state: restored after hydration (the server renders the empty composer), then
 * `?from=<generation>` loaded into it, and saved on every change so a reload loses nothing.
 */
export function useComposerState(from: string | undefined) {
  const [state, dispatch] = useReducer(composerReducer, undefined, () => initialState());
  // The untouched first state is never saved: it would overwrite what is about to be restored.
  const [pristine] = useState(() => state);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    void import("@/lib/composer/restore").then(({ deserialize }) => {
      if (!current) return;
      const saved = deserialize(window.localStorage.getItem(STORAGE_KEY));
      if (saved) dispatch({ type: "restore", state: saved });
      if (!from) return;
      // Through the page's query cache, so its result card starts with it.
      Promise.all([loadApi(), import("@/lib/client/query-client")])
        .then(([api, { getQueryClient }]) =>
          getQueryClient().fetchQuery({
            queryKey: queryKeys.generations.detail(from),
            queryFn: () => api.fetchGeneration(from),
          }),
        )
        .then((generation) => {
          if (generation.kind !== "scene") throw new Error("it is an image edit, not a scene");
          dispatch({ type: "loadRequest", request: generation.request });
          dispatch({ type: "generationStarted", id: generation.id });
          window.history.replaceState(null, "", window.location.pathname);
        })
        .catch((error: unknown) =>
          setLoadError(
            `Could not load generation ${from}: ${error instanceof Error ? error.message : String(error)}`,
          ),
        );
    });
    return () => {
      current = false;
    };
  }, [from]);

  // Saved on every change, not debounced: a reload right after an edit must not lose it, and the
  // document is a few kilobytes. Camera moves change nothing saved, so they write nothing.
  const saved = useRef<string | null>(null);
  useEffect(() => {
    if (state === pristine) return;
    const text = serialize(state);
    if (text === saved.current) return;
    try {
      window.localStorage.setItem(STORAGE_KEY, text);
      saved.current = text;
    } catch {
      // Storage full or disabled: the composer still works, it just will not survive a reload.
    }
  }, [state, pristine]);

  return { state, dispatch, loadError };
}
