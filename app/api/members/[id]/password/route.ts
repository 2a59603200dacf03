import { resetPassword } from "@/lib/server/auth/members";
import { parseInput, resetPasswordInput } from "@/lib/server/auth/schemas";
import { getConfig } from "@/lib/server/config";
import { getDatabase } from "@/lib/server/db/client";
import { readJsonBody } from "@/lib/server/http/body";
import { json } from "@/lib/server/http/respond";
import { route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// POST /api/members/:id/password – set a new (by default temporary) password and sign them out
export const POST = route<{ id: string }>({ access: "admin" }, async ({ request, params }) => {
  const config = getConfig();
  const hasBody = request.headers.has("content-type");
  const input = parseInput(
    resetPasswordInput,
    hasBody ? await readJsonBody(request, config.MAX_JSON_BYTES) : {},
  );
  const { db } = await getDatabase(config);
  const password = await resetPassword(db, params.id, input.password);
  return json(input.password ? { ok: true } : { temporaryPassword: password });
});
