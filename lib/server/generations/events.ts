import "server-only";

import { isFinal, type Generation } from "@/lib/scene/generation";

import type { Db } from "../db/client";
import { findGeneration } from "./records/records";
import { nextChange } from "./runner/settle";

const POLL_MS = 1000;
const KEEPALIVE_MS = 15_000;

function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Server-sent events for one generation: a `generation` event now and on every change, until it
 * settles and its outputs have been checked for integrity. Closing the stream only stops the watching; the job goes on.
 */
export function generationEvents(db: Db, first: Generation, signal: AbortSignal): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => controller.enqueue(encoder.encode(text));
      let current = first;
      let sent = JSON.stringify(first);
      let quietSince = Date.now();
      send("retry: 2000\n\n");
      send(frame("generation", first));
      try {
        while (!isFinal(current) && !signal.aborted) {
          await nextChange(current.id, POLL_MS, signal);
          if (signal.aborted) break;
          const next = await findGeneration(db, current.id);
          if (!next) {
            send(frame("gone", { id: current.id }));
            break;
          }
          const text = JSON.stringify(next);
          if (text !== sent) {
            send(frame("generation", next));
            sent = text;
            quietSince = Date.now();
          } else if (Date.now() - quietSince > KEEPALIVE_MS) {
            send(": keep-alive\n\n");
            quietSince = Date.now();
          }
          current = next;
        }
      } catch {
        // The stream is advisory: a client reconnects or falls back to GET.
      }
      try {
        controller.close();
      } catch {
        // already closed by the client going away
      }
    },
  });
}
