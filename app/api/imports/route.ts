import { otherMethods } from "@/lib/server/http/methods";
import { json } from "@/lib/server/http/respond";
import { route } from "@/lib/server/http/route";
import { importImageFromUrl, importRequest } from "@/lib/server/images/import-url";
import { recordUpload } from "@/lib/server/uploads/records";

export const runtime = "nodejs";

// POST /api/imports – fetch an image from a URL (guarded), store it like an upload
export const POST = route({ access: "member", body: importRequest }, async ({ body, principal }) => {
  const imported = await importImageFromUrl(body, principal);
  await recordUpload(imported, principal);
  return json(imported, { status: 201 });
});

export const { HEAD, OPTIONS, GET, PUT, PATCH, DELETE } = otherMethods({ POST });
