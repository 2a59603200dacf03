import { createTokenInput } from "@/lib/scene/team";
import { createToken, listTokens } from "@/lib/server/auth/tokens";
import { appDatabase } from "@/lib/server/db/client";
import { otherMethods } from "@/lib/server/http/methods";
import { json } from "@/lib/server/http/respond";
import { route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// GET /api/tokens – the caller's personal access tokens (never the secrets)
export const GET = route({ access: "viewer" }, async ({ principal }) =>
  json({ tokens: await listTokens(await appDatabase(), principal.userId) }),
);

// POST /api/tokens – a new token for the caller; the secret is in this answer only
export const POST = route({ access: "viewer", body: createTokenInput }, async ({ body, principal }) => {
  const { token, summary } = await createToken(await appDatabase(), { userId: principal.userId, ...body });
  return json({ token, ...summary }, { status: 201 });
});

export const { HEAD, OPTIONS, PUT, PATCH, DELETE } = otherMethods({ GET, POST });
