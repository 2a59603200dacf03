import { signedIn } from "@/lib/server/auth/principal";
import { createTokenInput, parseInput } from "@/lib/server/auth/schemas";
import { createToken, listTokens } from "@/lib/server/auth/tokens";
import { getConfig } from "@/lib/server/config";
import { getDatabase } from "@/lib/server/db/client";
import { readJsonBody } from "@/lib/server/http/body";
import { json } from "@/lib/server/http/respond";
import { route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// GET /api/tokens – the caller's personal access tokens (never the secrets)
export const GET = route({ access: "viewer" }, async ({ principal }) => {
  const { db } = await getDatabase(getConfig());
  return json({ tokens: await listTokens(db, signedIn(principal).userId) });
});

// POST /api/tokens – a new token for the caller; the secret is in this answer only
export const POST = route({ access: "viewer" }, async ({ request, principal }) => {
  const config = getConfig();
  const input = parseInput(createTokenInput, await readJsonBody(request, config.MAX_JSON_BYTES));
  const { db } = await getDatabase(config);
  const { token, summary } = await createToken(db, { userId: signedIn(principal).userId, ...input });
  return json({ token, ...summary }, { status: 201 });
});
