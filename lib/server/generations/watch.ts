import "server-only";

import { setMaxListeners } from "node:events";
import { inArray } from "drizzle-orm";

import { isFinal, MAX_WATCHED, type Generation } from "@/lib/scene/generation";

import type { Db } from "../db/client";
import { generations } from "../db/schema/generations";
import { toGeneration } from "./records/dto";
import { isGenerationId, outputsOf } from "./records/records";
import { nextChange } from "./runner/settle";

const POLL_MS = 1000;
const KEEPALIVE_MS = 15_000;

export const EVENT_STREAM_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-store, no-transform",
  "x-accel-buffering": "no",
};

async function loadGenerations(db: Db, ids: readonly string[]): Promise<Map<string, Generation>> {
  const found = new Map<string, Generation>();
  const valid = ids.filter(isGenerationId);
  if (valid.length === 0) return found;
  const rows = await db.select().from(generations).where(inArray(generations.id, valid));
  const outputs = await outputsOf(
    db,
    rows.map((row) => row.id),
  );
  for (const row of rows) found.set(row.id, toGeneration(row, outputs.get(row.id) ?? []));
  return found;
}

/**
 * Listens, from now on, for the next change of any of `ids`; resolves on the first, after `ms`, or
 * when `signal` aborts. `stop` ends the listening early.
 */
function nextChangeOfAny(ids: readonly string[], ms: number, signal: AbortSignal) {
  const round = new AbortController();
  // One listener per generation followed; up to MAX_WATCHED is expected, not a leak.
  setMaxListeners(MAX_WATCHED + 10, round.signal);
  const stop = () => round.abort();
  signal.addEventListener("abort", stop, { once: true });
  const changed = Promise.race(ids.map((id) => nextChange(id, ms, round.signal))).finally(() => {
    round.abort();
    signal.removeEventListener("abort", stop);
  });
  return { changed, stop };
}

function frame(event: string, data: string): string {
  return `event: ${event}\ndata: ${data}\n\n`;
}

/**
 * Server-sent events for several generations at once: a `generation` event for each now and on every
 * change, a `gone` event for one that does not exist (or no longer does), until all have settled and
 * their outputs have been checked for integrity.
 * Closing the stream only stops the watching; the jobs go on.
 */
export function watchGenerations(
  db: Db,
  ids: readonly string[],
  signal: AbortSignal,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const watching = new AbortController();
  const stop = () => watching.abort();
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      if (signal.aborted) stop();
      signal.addEventListener("abort", stop, { once: true });
      const send = (text: string) => controller.enqueue(encoder.encode(text));
      const sent = new Map<string, string>();
      let pending = [...ids];
      let quietSince = Date.now();
      try {
        send("retry: 2000\n\n");
        while (pending.length > 0 && !watching.signal.aborted) {
          // Listening starts before the read, so a change between the read and the wait is never missed.
          const wait = nextChangeOfAny(pending, POLL_MS, watching.signal);
          const found = await loadGenerations(db, pending);
          const unsettled: string[] = [];
          let changed = false;
          for (const id of pending) {
            const generation = found.get(id);
            if (!generation) {
              send(frame("gone", JSON.stringify({ id })));
              changed = true;
              continue;
            }
            const text = JSON.stringify(generation);
            if (text !== sent.get(id)) {
              send(frame("generation", text));
              sent.set(id, text);
              changed = true;
            }
            if (!isFinal(generation)) unsettled.push(id);
          }
          pending = unsettled;
          if (changed) quietSince = Date.now();
          else if (Date.now() - quietSince > KEEPALIVE_MS) {
            send(": keep-alive\n\n");
            quietSince = Date.now();
          }
          if (pending.length === 0) wait.stop();
          await wait.changed;
        }
      } catch {
        // The stream is advisory: a client falls back to GET when it ends early.
      }
      signal.removeEventListener("abort", stop);
      try {
        controller.close();
      } catch {
        // already closed by the client going away
      }
    },
    cancel() {
      stop();
    },
  });
}
