import { getConfig } from "@/lib/server/config";
import { readJsonBody } from "@/lib/server/http/body";
import { json } from "@/lib/server/http/respond";
import { route } from "@/lib/server/http/route";
import { importImageFromUrl } from "@/lib/server/images/import-url";

export const runtime = "nodejs";

export const POST = route(async ({ request }) => {
  const body = await readJsonBody(request, getConfig().MAX_JSON_BYTES);
  return json(await importImageFromUrl(body), { status: 201 });
});
