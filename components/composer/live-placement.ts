import type { AbsoluteValues } from "@/lib/scene/placement";

/**
 * The placement while a gesture is under way, for the inspector to follow the pointer. Kept out of the
 * composer's state on purpose: a drag must not re-render the whole composer on every frame, only the
 * few number fields that subscribe here.
 */
export type LivePlacement = {
  get: () => AbsoluteValues | null;
  set: (values: AbsoluteValues | null) => void;
  subscribe: (listener: () => void) => () => void;
};

export function createLivePlacement(): LivePlacement {
  let current: AbsoluteValues | null = null;
  const listeners = new Set<() => void>();
  return {
    get: () => current,
    set: (values) => {
      current = values;
      for (const listener of listeners) listener();
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
