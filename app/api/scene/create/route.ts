import { sceneCreateRequest } from "@/lib/scene/contract";
import { requestedEngine } from "@/lib/server/engines";
import { generations } from "@/lib/server/generations";
import { otherMethods } from "@/lib/server/http/methods";
import { publicOrigin } from "@/lib/server/http/origin";
import { json } from "@/lib/server/http/respond";
import { route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// POST /v1/scene/create (rewritten here) – Claid's contract, answered when the generation settles
export const POST = route(
  { access: "member", body: sceneCreateRequest },
  async ({ request, body, principal }) => {
    const answer = await generations.createScene({
      request: body,
      engine: requestedEngine(request),
      principal,
      signal: request.signal,
      origin: publicOrigin(request),
    });
    // A small JSON answer: compressing it would cost more time than it saves on the wire.
    return json(answer, { headers: { "cache-control": "no-store, no-transform" } });
  },
);

export const { HEAD, OPTIONS, GET, PUT, PATCH, DELETE } = otherMethods({ POST });
