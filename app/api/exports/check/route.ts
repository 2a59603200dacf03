import { exportBody } from "@/lib/scene/export";
import { channelExports } from "@/lib/server/exports";
import { otherMethods } from "@/lib/server/http/methods";
import { json } from "@/lib/server/http/respond";
import { route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// POST /api/exports/check – each file an export would make, with its compliance checks (no zip)
export const POST = route({ access: "viewer", body: exportBody }, async ({ body }) =>
  json(await channelExports.check(body)),
);

export const { GET, HEAD, OPTIONS, PUT, PATCH, DELETE } = otherMethods({ POST });
