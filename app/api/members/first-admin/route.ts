import { isSameOriginWrite } from "@/lib/server/auth/csrf";
import { assertFreshInstall, createFirstAdmin } from "@/lib/server/auth/members";
import { firstAdminInput, parseInput } from "@/lib/server/auth/schemas";
import { getConfig } from "@/lib/server/config";
import { getDatabase } from "@/lib/server/db/client";
import { errors } from "@/lib/server/errors";
import { readJsonBody } from "@/lib/server/http/body";
import { json } from "@/lib/server/http/respond";
import { route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// POST /api/members/first-admin – a fresh install's first visit creates its admin (409 afterwards)
export const POST = route({ access: "public" }, async ({ request }) => {
  const config = getConfig();
  const { db } = await getDatabase(config);
  await assertFreshInstall(db);
  // Browser-only (the CLI covers automation): a page on another site must not claim a fresh install.
  if (!isSameOriginWrite(request, config)) {
    throw errors.forbidden("Create the first admin from the app's own sign-in page");
  }
  const input = parseInput(firstAdminInput, await readJsonBody(request, config.MAX_JSON_BYTES));
  return json({ member: await createFirstAdmin(db, input) }, { status: 201 });
});
