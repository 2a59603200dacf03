import { reviewBody } from "@/lib/scene/campaign";
import { reviews } from "@/lib/server/campaigns";
import { otherMethods } from "@/lib/server/http/methods";
import { json } from "@/lib/server/http/respond";
import { idParams, route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// POST /api/outputs/:id/review – approve or reject an output, with an optional note (kept as an audit trail)
export const POST = route(
  { access: "member", params: idParams, body: reviewBody },
  async ({ params, body, principal }) => json(await reviews.add(params.id, body, principal), { status: 201 }),
);

export const { GET, HEAD, OPTIONS, PUT, PATCH, DELETE } = otherMethods({ POST });
