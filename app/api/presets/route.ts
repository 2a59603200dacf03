import { presetBody } from "@/lib/scene/campaign";
import { presets } from "@/lib/server/campaigns";
import { otherMethods } from "@/lib/server/http/methods";
import { json } from "@/lib/server/http/respond";
import { route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// GET /api/presets – the team's saved scenes, by name
export const GET = route({ access: "viewer" }, async () => json({ presets: await presets.list() }));

// POST /api/presets – save a scene (checked with the contract) under a new name
export const POST = route({ access: "member", body: presetBody }, async ({ body, principal }) =>
  json({ preset: await presets.save(body, principal) }, { status: 201 }),
);

export const { HEAD, OPTIONS, PUT, PATCH, DELETE } = otherMethods({ GET, POST });
