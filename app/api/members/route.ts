import { createMember, listMembers } from "@/lib/server/auth/members";
import { createMemberInput, parseInput } from "@/lib/server/auth/schemas";
import { getConfig } from "@/lib/server/config";
import { getDatabase } from "@/lib/server/db/client";
import { readJsonBody } from "@/lib/server/http/body";
import { json } from "@/lib/server/http/respond";
import { route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// GET /api/members – everyone with an account
export const GET = route({ access: "admin" }, async () => {
  const { db } = await getDatabase(getConfig());
  return json({ members: await listMembers(db) });
});

// POST /api/members – add a person; their temporary password is in the answer, once
export const POST = route({ access: "admin" }, async ({ request }) => {
  const config = getConfig();
  const input = parseInput(createMemberInput, await readJsonBody(request, config.MAX_JSON_BYTES));
  const { db } = await getDatabase(config);
  const { member, password } = await createMember(db, input);
  return json({ member, ...(input.password ? {} : { temporaryPassword: password }) }, { status: 201 });
});
