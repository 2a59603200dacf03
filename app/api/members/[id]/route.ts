import { updateMemberInput } from "@/lib/scene/team";
import { updateMember } from "@/lib/server/auth/members";
import { appDatabase } from "@/lib/server/db/client";
import { otherMethods } from "@/lib/server/http/methods";
import { json } from "@/lib/server/http/respond";
import { idParams, route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// PATCH /api/members/:id – change a person's role, daily budget, name, or disable them
export const PATCH = route(
  { access: "admin", params: idParams, body: updateMemberInput },
  async ({ params, body }) => json({ member: await updateMember(await appDatabase(), params.id, body) }),
);

export const { HEAD, OPTIONS, GET, POST, PUT, DELETE } = otherMethods({ PATCH });
