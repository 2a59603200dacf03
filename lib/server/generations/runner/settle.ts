import "server-only";

import { isSettled, type Generation } from "@/lib/scene/generation";

import type { Db } from "../../db/client";
import { errors } from "../../errors";
import type { GenerationRow } from "../records/dto";
import { findGeneration, findGenerationRow } from "../records/records";
import { onChange } from "./notify";

/** Resolves on the next change signal, after `ms`, or when `signal` aborts, whichever is first. */
export function nextChange(id: string, ms: number, signal?: AbortSignal): Promise<void> {
  return watchNextChange(id, ms, signal).changed;
}

/** `nextChange`, listening from now on, with a way to stop listening early. */
function watchNextChange(id: string, ms: number, signal?: AbortSignal) {
  let done = () => {};
  const changed = new Promise<void>((resolve) => {
    done = () => {
      clearTimeout(timer);
      off();
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const off = onChange(id, done);
    signal?.addEventListener("abort", done, { once: true });
  });
  return { changed, stop: done };
}

/**
 * Waits until a generation's record says it has settled, reading only the record. It listens before it
 * reads, so a change between the read and the wait is never missed (which would cost a whole poll).
 */
export async function waitUntilSettledRow(
  db: Db,
  id: string,
  options: { pollMs?: number; signal?: AbortSignal } = {},
): Promise<GenerationRow> {
  for (;;) {
    const watch = watchNextChange(id, options.pollMs ?? 1000, options.signal);
    const row = await findGenerationRow(db, id);
    if (!row || isSettled(row.status) || options.signal?.aborted) {
      watch.stop();
      if (!row) throw errors.notFound("The generation");
      return row;
    }
    await watch.changed;
    // Nobody waits any more: the record as last read is the answer, without reading it again.
    if (options.signal?.aborted) return row;
  }
}

/**
 * Waits until a generation has settled. The in-process signal answers at once when this instance ran
 * it; polling covers a generation another instance ran.
 */
export async function waitUntilSettled(
  db: Db,
  id: string,
  options: { pollMs?: number; signal?: AbortSignal } = {},
): Promise<Generation> {
  const row = await waitUntilSettledRow(db, id, options);
  const generation = await findGeneration(db, row.id);
  if (!generation) throw errors.notFound("The generation");
  return generation;
}
