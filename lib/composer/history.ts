/**
 * Undo history over plain documents. A change is one step, except that consecutive changes sharing a
 * coalesce key (typing into one field) fold into the step that started them.
 */
import { deepEqual } from "./equal";

export type History<D> = {
  past: D[];
  present: D;
  future: D[];
  /** The key of the step still open for folding, if any. */
  openKey: string | null;
};

export const HISTORY_LIMIT = 200;

export function startHistory<D>(present: D): History<D> {
  return { past: [], present, future: [], openKey: null };
}

export function commit<D>(history: History<D>, next: D, coalesceKey?: string): History<D> {
  if (deepEqual(next, history.present)) return history;
  if (coalesceKey !== undefined && coalesceKey === history.openKey) {
    return { ...history, present: next, future: [] };
  }
  const past = [...history.past, history.present].slice(-HISTORY_LIMIT);
  return { past, present: next, future: [], openKey: coalesceKey ?? null };
}

export function undo<D>(history: History<D>): History<D> {
  const previous = history.past.at(-1);
  if (previous === undefined) return history;
  return {
    past: history.past.slice(0, -1),
    present: previous,
    future: [history.present, ...history.future],
    openKey: null,
  };
}

export function redo<D>(history: History<D>): History<D> {
  const [next, ...rest] = history.future;
  if (next === undefined) return history;
  return { past: [...history.past, history.present], present: next, future: rest, openKey: null };
}

/** Ends folding, so the next edit of the same field is its own step (e.g. on blur). */
export function closeStep<D>(history: History<D>): History<D> {
  return history.openKey === null ? history : { ...history, openKey: null };
}
