import "server-only";

import type { Campaign } from "@/lib/scene/campaign";

import { generations } from "../generations";
import type { CampaignDeps } from "./deps";
import { getCampaignRow } from "./records";
import { loadCampaign } from "./service";

/** Other instances' progress is found by reading again this often; this process's at once. */
const POLL_MS = 2000;
/** Changes close together are sent together: a campaign's items finish several a second. */
const SETTLE_MS = 250;
const KEEPALIVE_MS = 15_000;

function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Resolves on the first change of one of `ids` in this process, after `ms`, or when `signal` aborts. */
function nextChange(ids: ReadonlySet<string>, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      off();
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const off = generations.onAnyChange((id) => {
      if (ids.has(id)) setTimeout(done, SETTLE_MS);
    });
    signal.addEventListener("abort", done, { once: true });
  });
}

function progressOf(campaign: Campaign) {
  const { items: _items, plan: _plan, names: _names, ...summary } = campaign;
  return summary;
}

/**
 * Server-sent events of one campaign: `campaign` with everything first, then `progress` (status,
 * counts, elapsed time and estimate) and an `item` for each item that changed, until nothing is
 * queued or running. Closing the stream only stops the watching.
 */
export async function campaignEvents(
  deps: CampaignDeps,
  id: string,
  signal: AbortSignal,
): Promise<ReadableStream<Uint8Array>> {
  await getCampaignRow(deps.db, id);
  const encoder = new TextEncoder();
  const watching = new AbortController();
  const stop = () => watching.abort();
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      if (signal.aborted) stop();
      signal.addEventListener("abort", stop, { once: true });
      const send = (text: string) => controller.enqueue(encoder.encode(text));
      const sent = new Map<number, string>();
      let quietSince = Date.now();
      try {
        send("retry: 2000\n\n");
        let first = true;
        while (!watching.signal.aborted) {
          const campaign = await loadCampaign(deps, id);
          const watched = new Set(
            campaign.items.flatMap((item) => (item.generation_id ? [item.generation_id] : [])),
          );
          // Listening starts before anything is sent, so a change meanwhile is never missed.
          const wait = nextChange(watched, POLL_MS, watching.signal);
          let changed = first;
          if (first) send(frame("campaign", campaign));
          for (const item of campaign.items) {
            const text = JSON.stringify(item);
            if (!first && text !== sent.get(item.position)) {
              send(frame("item", item));
              changed = true;
            }
            sent.set(item.position, text);
          }
          if (changed && !first) send(frame("progress", progressOf(campaign)));
          first = false;
          if (changed) quietSince = Date.now();
          else if (Date.now() - quietSince > KEEPALIVE_MS) {
            send(": keep-alive\n\n");
            quietSince = Date.now();
          }
          if (campaign.status !== "running") break;
          await wait;
        }
      } catch {
        // The stream is advisory: a client falls back to GET when it ends early.
      }
      // Ends the last wait's timer and listener too.
      stop();
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
