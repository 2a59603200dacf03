import { createMemberInput } from "@/lib/scene/team";
import { createMember, listMembers } from "@/lib/server/auth/members";
import { appDatabase } from "@/lib/server/db/client";
import { otherMethods } from "@/lib/server/http/methods";
import { json } from "@/lib/server/http/respond";
import { route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// GET /api/members – everyone with an account
export const GET = route({ access: "admin" }, async () =>
  json({ members: await listMembers(await appDatabase()) }),
);

// POST /api/members – add a person; their temporary password is in the answer, once
export const POST = route({ access: "admin", body: createMemberInput }, async ({ body }) => {
  const { member, password } = await createMember(await appDatabase(), body);
  return json({ member, ...(body.password ? {} : { temporaryPassword: password }) }, { status: 201 });
});

export const { HEAD, OPTIONS, PUT, PATCH, DELETE } = otherMethods({ GET, POST });
