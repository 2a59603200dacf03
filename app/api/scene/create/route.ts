import { sceneCreateRequest } from "@/lib/scene/contract";
import { getConfig } from "@/lib/server/config";
import { requestedEngine } from "@/lib/server/engines";
import { errors } from "@/lib/server/errors";
import { history } from "@/lib/server/generations/context";
import { generateAndWait } from "@/lib/server/generations/synchronous";
import { readJsonBody } from "@/lib/server/http/body";
import { publicOrigin } from "@/lib/server/http/origin";
import { json } from "@/lib/server/http/respond";
import { route } from "@/lib/server/http/route";
import { ensureWorker } from "@/lib/server/jobs";
import { toSceneCreateResponse } from "@/lib/server/scenes/envelope";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// POST /v1/scene/create (rewritten here) – Claid's contract, answered when the generation settles
export const POST = route({ access: "member" }, async ({ request, principal }) => {
  const config = getConfig();
  const engine = requestedEngine(request, config);
  const parsed = sceneCreateRequest.safeParse(await readJsonBody(request, config.MAX_JSON_BYTES));
  if (!parsed.success) throw errors.validation(parsed.error.issues);
  const h = await history(config);
  const { generationId, result } = await generateAndWait(
    h,
    { request: parsed.data, engine, principal, signal: request.signal },
    await ensureWorker(),
  );
  // A small JSON answer: compressing it would cost more time than it saves on the wire.
  return json(toSceneCreateResponse(result, publicOrigin(request, config), { generationId }), {
    headers: { "cache-control": "no-store, no-transform" },
  });
});
