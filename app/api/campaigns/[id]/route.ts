import { campaigns } from "@/lib/server/campaigns";
import { otherMethods } from "@/lib/server/http/methods";
import { json } from "@/lib/server/http/respond";
import { idParams, route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// GET /api/campaigns/:id – status, counts, progress and every item with its outputs and reviews
export const GET = route({ access: "viewer", params: idParams }, async ({ params }) =>
  json({ campaign: await campaigns.get(params.id) }),
);

export const { HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods({ GET });
