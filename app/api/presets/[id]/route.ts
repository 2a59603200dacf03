import { presets } from "@/lib/server/campaigns";
import { otherMethods } from "@/lib/server/http/methods";
import { idParams, route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// DELETE /api/presets/:id – delete a preset (its author or an admin)
export const DELETE = route({ access: "member", params: idParams }, async ({ params, principal }) => {
  await presets.remove(params.id, principal);
  return new Response(null, { status: 204 });
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH } = otherMethods({ DELETE });
