import { firstAdminInput } from "@/lib/scene/team";
import { isSameOriginWrite } from "@/lib/server/auth/csrf";
import { assertFreshInstall, createFirstAdmin } from "@/lib/server/auth/members";
import { getConfig } from "@/lib/server/config";
import { appDatabase } from "@/lib/server/db/client";
import { errors } from "@/lib/server/errors";
import { json } from "@/lib/server/http/respond";
import { route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** A fresh install only, and only from the app's own pages (the CLI covers automation). */
async function freshInstallFromOwnPage(request: Request) {
  await assertFreshInstall(await appDatabase());
  // A page on another site must not claim a fresh install.
  if (!isSameOriginWrite(request, getConfig())) {
    throw errors.forbidden("Create the first admin from the app's own sign-in page");
  }
}

// POST /api/members/first-admin – a fresh install's first visit creates its admin (409 afterwards)
export const POST = route(
  { access: "public", guard: freshInstallFromOwnPage, body: firstAdminInput },
  async ({ body }) => json({ member: await createFirstAdmin(await appDatabase(), body) }, { status: 201 }),
);
