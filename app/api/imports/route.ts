import { getConfig } from "@/lib/server/config";
import { recordUpload } from "@/lib/server/generations/uploads";
import { readJsonBody } from "@/lib/server/http/body";
import { json } from "@/lib/server/http/respond";
import { route } from "@/lib/server/http/route";
import { importImageFromUrl } from "@/lib/server/images/import-url";

export const runtime = "nodejs";

export const POST = route(async ({ request, principal }) => {
  const body = await readJsonBody(request, getConfig().MAX_JSON_BYTES);
  const imported = await importImageFromUrl(body, principal);
  await recordUpload(imported, principal);
  return json(imported, { status: 201 });
});
