import { EVENT_STREAM_HEADERS, generations } from "@/lib/server/generations";
import { otherMethods } from "@/lib/server/http/methods";
import { idParams, route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// GET /api/generations/:id/events – text/event-stream of `generation` events until it settles
export const GET = route({ access: "viewer", params: idParams }, async ({ request, params }) => {
  return new Response(await generations.events(params.id, request.signal), { headers: EVENT_STREAM_HEADERS });
});

export const { HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods({ GET });
