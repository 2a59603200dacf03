import { campaigns } from "@/lib/server/campaigns";
import { otherMethods } from "@/lib/server/http/methods";
import { json } from "@/lib/server/http/respond";
import { idParams, route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// POST /api/campaigns/:id/retry – the failed items run again as new generations
export const POST = route({ access: "member", params: idParams }, async ({ params, principal }) =>
  json({ campaign: await campaigns.retry(params.id, principal) }),
);

export const { GET, HEAD, OPTIONS, PUT, PATCH, DELETE } = otherMethods({ POST });
