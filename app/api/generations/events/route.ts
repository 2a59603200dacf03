import { watchSelection } from "@/lib/scene/generation";
import { EVENT_STREAM_HEADERS, generations } from "@/lib/server/generations";
import { otherMethods } from "@/lib/server/http/methods";
import { route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// GET /api/generations/events?id=…&id=… – one text/event-stream of `generation` events for up to 100
// generations, until all have settled
export const GET = route({ access: "viewer", query: watchSelection }, async ({ request, query }) => {
  return new Response(await generations.watch(query.id, request.signal), { headers: EVENT_STREAM_HEADERS });
});

export const { HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods({ GET });
