import { recordUpload } from "@/lib/server/generations/uploads";
import { json } from "@/lib/server/http/respond";
import { route } from "@/lib/server/http/route";
import { receiveUpload } from "@/lib/server/images/upload";

export const runtime = "nodejs";

export const POST = route(async ({ request, principal }) => {
  const uploaded = await receiveUpload(request, principal);
  await recordUpload(uploaded, principal);
  return json(uploaded, { status: 201 });
});
