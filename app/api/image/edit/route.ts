import { imageEditRequest } from "@/lib/scene/image-edit";
import { requestedEngine } from "@/lib/server/engines";
import { generations } from "@/lib/server/generations";
import { otherMethods } from "@/lib/server/http/methods";
import { publicOrigin } from "@/lib/server/http/origin";
import { json } from "@/lib/server/http/respond";
import { route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// POST /v1/image/edit (rewritten here) – Claid's image edit on either engine, answered when it settles
export const POST = route(
  { access: "member", body: imageEditRequest },
  async ({ request, body, principal }) => {
    const { response } = await generations.editImage({
      request: body,
      // The body as given (the schema hands it back unchanged): what the claid engine forwards.
      requestText: JSON.stringify(body),
      engine: requestedEngine(request),
      principal,
      signal: request.signal,
      origin: publicOrigin(request),
    });
    return json(response, { headers: { "cache-control": "no-store, no-transform" } });
  },
);

export const { HEAD, OPTIONS, GET, PUT, PATCH, DELETE } = otherMethods({ POST });
