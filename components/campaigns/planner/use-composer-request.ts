"use client";

import { useMemo, useSyncExternalStore } from "react";

import { STORAGE_KEY } from "@/lib/composer/persist";
import { buildRequest } from "@/lib/composer/request";
import { deserialize } from "@/lib/composer/restore";
import type { SceneCreateRequest } from "@/lib/scene/contract";

function subscribe(onChange: () => void): () => void {
  window.addEventListener("storage", onChange);
  return () => window.removeEventListener("storage", onChange);
}

/**
 * The composer's current request, as it left it in this browser (its saved state), so a campaign
 * can start from its product, placement and scene. Undefined when the composer holds no product.
 */
export function useComposerRequest(): SceneCreateRequest | undefined {
  const saved = useSyncExternalStore(
    subscribe,
    () => window.localStorage.getItem(STORAGE_KEY),
    () => null,
  );
  return useMemo(() => {
    const doc = deserialize(saved)?.history.present;
    if (!doc?.imageUrl) return undefined;
    try {
      return buildRequest(doc);
    } catch {
      return undefined;
    }
  }, [saved]);
}
