import "server-only";

import { isSettled, type Generation } from "@/lib/scene/generation";

import type { Db } from "../db/client";
import { errors } from "../errors";
import { findGeneration } from "../generations/records";
import { onChange } from "./notify";

/** Resolves on the next change signal, after `ms`, or when `signal` aborts, whichever is first. */
export function nextChange(id: string, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      off();
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const off = onChange(id, done);
    signal?.addEventListener("abort", done, { once: true });
  });
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
  for (;;) {
    const generation = await findGeneration(db, id);
    if (!generation) throw errors.notFound("The generation");
    if (isSettled(generation.status) || options.signal?.aborted) return generation;
    await nextChange(id, options.pollMs ?? 1000, options.signal);
  }
}
