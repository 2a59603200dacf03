import { otherMethods } from "@/lib/server/http/methods";
import { json } from "@/lib/server/http/respond";
import { route } from "@/lib/server/http/route";
import { receiveUpload } from "@/lib/server/images/upload";
import { recordUpload } from "@/lib/server/uploads/records";

export const runtime = "nodejs";

// POST /api/uploads – multipart `file`: an image, sniffed, checked and stored (201 with its metadata)
export const POST = route({ access: "member" }, async ({ request, principal }) => {
  const uploaded = await receiveUpload(request, principal);
  await recordUpload(uploaded, principal);
  return json(uploaded, { status: 201 });
});

export const { HEAD, OPTIONS, GET, PUT, PATCH, DELETE } = otherMethods({ POST });
