import { edits } from "@/lib/server/edits";
import { requestedEngine } from "@/lib/server/engines";
import { otherMethods } from "@/lib/server/http/methods";
import { publicOrigin } from "@/lib/server/http/origin";
import { json } from "@/lib/server/http/respond";
import { route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// POST /v1/image/edit/upload (rewritten here) – Claid's upload API: multipart `file` + optional `data`
export const POST = route({ access: "member" }, async ({ request, principal }) => {
  const answer = await edits.upload(request, {
    principal,
    engine: requestedEngine(request),
    signal: request.signal,
    origin: publicOrigin(request),
  });
  return json(answer, { headers: { "cache-control": "no-store, no-transform" } });
});

export const { HEAD, OPTIONS, GET, PUT, PATCH, DELETE } = otherMethods({ POST });
