import { revokeToken } from "@/lib/server/auth/tokens";
import { appDatabase } from "@/lib/server/db/client";
import { otherMethods } from "@/lib/server/http/methods";
import { idParams, route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// DELETE /api/tokens/:id – revoke one of the caller's tokens
export const DELETE = route({ access: "viewer", params: idParams }, async ({ params, principal }) => {
  await revokeToken(await appDatabase(), principal.userId, params.id);
  return new Response(null, { status: 204 });
});

export const { HEAD, OPTIONS, GET, POST, PUT, PATCH } = otherMethods({ DELETE });
