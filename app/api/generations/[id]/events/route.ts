import { history } from "@/lib/server/generations/context";
import { generationEvents } from "@/lib/server/generations/events";
import { getGeneration } from "@/lib/server/generations/records";
import { route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// GET /api/generations/:id/events – text/event-stream of `generation` events until it settles
export const GET = route<{ id: string }>({ access: "viewer" }, async ({ request, params }) => {
  const h = await history();
  const first = await getGeneration(h.db, params.id);
  return new Response(generationEvents(h.db, first, request.signal), {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store, no-transform",
      "x-accel-buffering": "no",
    },
  });
});
