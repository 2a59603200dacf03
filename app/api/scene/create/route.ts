import { sceneCreateRequest } from "@/lib/scene/contract";
import { getConfig } from "@/lib/server/config";
import { requestedEngine } from "@/lib/server/engines";
import { errors } from "@/lib/server/errors";
import { readJsonBody } from "@/lib/server/http/body";
import { publicOrigin } from "@/lib/server/http/origin";
import { json } from "@/lib/server/http/respond";
import { route } from "@/lib/server/http/route";
import { toSceneCreateResponse } from "@/lib/server/scenes/envelope";
import { runScene } from "@/lib/server/scenes/run-scene";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// POST /v1/scene/create (rewritten here) – Claid's contract, answered synchronously
export const POST = route(async ({ request, requestId, log }) => {
  const config = getConfig();
  const engine = requestedEngine(request, config);
  const parsed = sceneCreateRequest.safeParse(await readJsonBody(request, config.MAX_JSON_BYTES));
  if (!parsed.success) throw errors.validation(parsed.error.issues);
  const result = await runScene({ request: parsed.data, engine, config, log, requestId });
  return json(toSceneCreateResponse(result, publicOrigin(request, config)));
});
