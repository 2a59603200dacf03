import { campaigns } from "@/lib/server/campaigns";
import { EVENT_STREAM_HEADERS } from "@/lib/server/generations";
import { otherMethods } from "@/lib/server/http/methods";
import { idParams, route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// GET /api/campaigns/:id/events – text/event-stream of `campaign`, `item` and `progress` events while it runs
export const GET = route({ access: "viewer", params: idParams }, async ({ request, params }) => {
  return new Response(await campaigns.events(params.id, request.signal), { headers: EVENT_STREAM_HEADERS });
});

export const { HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods({ GET });
