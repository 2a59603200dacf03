import { exportBody } from "@/lib/scene/export";
import { channelExports } from "@/lib/server/exports";
import { otherMethods } from "@/lib/server/http/methods";
import { route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// POST /api/exports – stored outputs through channel presets: a zip, a folder per preset and report.csv, streamed
export const POST = route({ access: "viewer", body: exportBody }, async ({ body }) => {
  const zip = await channelExports.zip(body);
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
  return new Response(zip, {
    headers: {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="backdrop-export-${stamp}.zip"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
});

export const { GET, HEAD, OPTIONS, PUT, PATCH, DELETE } = otherMethods({ POST });
