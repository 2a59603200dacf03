import { history } from "@/lib/server/generations/context";
import { EVENT_STREAM_HEADERS, watchedIdsOf, watchGenerations } from "@/lib/server/generations/watch";
import { route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// GET /api/generations/events?id=…&id=… – one text/event-stream of `generation` events for up to 100
// generations, until all have settled
export const GET = route({ access: "viewer" }, async ({ request }) => {
  const ids = watchedIdsOf(new URL(request.url));
  const h = await history();
  return new Response(watchGenerations(h.db, ids, request.signal), { headers: EVENT_STREAM_HEADERS });
});
