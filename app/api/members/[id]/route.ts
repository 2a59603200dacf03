import { updateMember } from "@/lib/server/auth/members";
import { parseInput, updateMemberInput } from "@/lib/server/auth/schemas";
import { getConfig } from "@/lib/server/config";
import { getDatabase } from "@/lib/server/db/client";
import { readJsonBody } from "@/lib/server/http/body";
import { json } from "@/lib/server/http/respond";
import { route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// PATCH /api/members/:id – change a person's role, daily budget, name, or disable them
export const PATCH = route<{ id: string }>({ access: "admin" }, async ({ request, params }) => {
  const config = getConfig();
  const change = parseInput(updateMemberInput, await readJsonBody(request, config.MAX_JSON_BYTES));
  const { db } = await getDatabase(config);
  return json({ member: await updateMember(db, params.id, change) });
});
