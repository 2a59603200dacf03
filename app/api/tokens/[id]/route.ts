import { signedIn } from "@/lib/server/auth/principal";
import { revokeToken } from "@/lib/server/auth/tokens";
import { getConfig } from "@/lib/server/config";
import { getDatabase } from "@/lib/server/db/client";
import { route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// DELETE /api/tokens/:id – revoke one of the caller's tokens
export const DELETE = route<{ id: string }>({ access: "viewer" }, async ({ params, principal }) => {
  const { db } = await getDatabase(getConfig());
  await revokeToken(db, signedIn(principal).userId, params.id);
  return new Response(null, { status: 204 });
});
