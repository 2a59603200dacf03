import { resetPasswordInput } from "@/lib/scene/team";
import { resetPassword } from "@/lib/server/auth/members";
import { appDatabase } from "@/lib/server/db/client";
import { otherMethods } from "@/lib/server/http/methods";
import { json } from "@/lib/server/http/respond";
import { idParams, route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// POST /api/members/:id/password – set a new (by default temporary) password and sign them out
export const POST = route(
  { access: "admin", params: idParams, body: resetPasswordInput.optional() },
  async ({ params, body }) => {
    const password = await resetPassword(await appDatabase(), params.id, body?.password);
    return json(body?.password ? { ok: true } : { temporaryPassword: password });
  },
);

export const { HEAD, OPTIONS, GET, PUT, PATCH, DELETE } = otherMethods({ POST });
