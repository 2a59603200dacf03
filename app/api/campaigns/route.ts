import { createCampaignBody } from "@/lib/scene/campaign";
import { campaigns } from "@/lib/server/campaigns";
import { otherMethods } from "@/lib/server/http/methods";
import { json } from "@/lib/server/http/respond";
import { route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// POST /api/campaigns – check every item and record the campaign (201), or with dry_run its cost only (200)
export const POST = route({ access: "member", body: createCampaignBody }, async ({ body, principal }) => {
  const { dry_run: dryRun, ...plan } = body;
  if (dryRun) return json({ preview: await campaigns.preview(plan, principal) });
  const campaign = await campaigns.create(plan, principal);
  return json({ campaign }, { status: 201, headers: { location: `/api/campaigns/${campaign.id}` } });
});

// GET /api/campaigns – the newest campaigns with their counts
export const GET = route({ access: "viewer" }, async () => json({ campaigns: await campaigns.list() }));

export const { HEAD, OPTIONS, PUT, PATCH, DELETE } = otherMethods({ GET, POST });
