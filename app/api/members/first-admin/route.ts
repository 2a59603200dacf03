import { firstAdminInput } from "@/lib/scene/team";
import { isSameOriginWrite } from "@/lib/server/auth/csrf";
import { assertFreshInstall, createFirstAdmin } from "@/lib/server/auth/members";
import { isSetupCode, listensBeyondLoopback } from "@/lib/server/auth/setup-code";
import { getConfig } from "@/lib/server/config";
import { appDatabase } from "@/lib/server/db/client";
import { errors } from "@/lib/server/errors";
import { otherMethods } from "@/lib/server/http/methods";
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

// POST /api/members/first-admin – a fresh install's first visit creates its admin (409 afterwards); on
// a server reachable from other machines only with the setup code it printed at start
export const POST = route(
  { access: "public", guard: freshInstallFromOwnPage, body: firstAdminInput },
  async ({ body: { setupCode, ...admin } }) => {
    const db = await appDatabase();
    if (listensBeyondLoopback(getConfig()) && !(await isSetupCode(db, setupCode))) {
      throw errors.setupCodeNeeded(setupCode !== undefined);
    }
    return json({ member: await createFirstAdmin(db, admin) }, { status: 201 });
  },
);

export const { HEAD, OPTIONS, GET, PUT, PATCH, DELETE } = otherMethods({ POST });
