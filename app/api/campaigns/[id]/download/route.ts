import { campaignDownloadQuery } from "@/lib/scene/campaign";
import { campaigns } from "@/lib/server/campaigns";
import { otherMethods } from "@/lib/server/http/methods";
import { idParams, route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// GET /api/campaigns/:id/download?verdict=approved – the approved outputs as a zip, named, with their requests
export const GET = route(
  { access: "viewer", params: idParams, query: campaignDownloadQuery },
  async ({ params, query }) => {
    const { filename, body } = await campaigns.zip(params.id, query.verdict);
    return new Response(body, {
      headers: {
        "content-type": "application/zip",
        "content-disposition": `attachment; filename="${filename}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  },
);

export const { HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods({ GET });
