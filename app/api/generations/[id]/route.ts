import { updateGenerationBody } from "@/lib/scene/generation";
import { generations } from "@/lib/server/generations";
import { otherMethods } from "@/lib/server/http/methods";
import { json } from "@/lib/server/http/respond";
import { idParams, route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// GET /api/generations/:id – one generation with its outputs
export const GET = route({ access: "viewer", params: idParams }, async ({ params }) =>
  json({ generation: await generations.get(params.id) }),
);

// PATCH /api/generations/:id – mark or unmark as favourite
export const PATCH = route(
  { access: "member", params: idParams, body: updateGenerationBody },
  async ({ params, body, principal }) =>
    json({ generation: await generations.setFavorite(params.id, body.favorite, principal) }),
);

// DELETE /api/generations/:id – delete a finished generation; files go when nothing references them
export const DELETE = route({ access: "member", params: idParams }, async ({ params, principal }) => {
  await generations.remove(params.id, principal);
  return new Response(null, { status: 204 });
});

export const { HEAD, OPTIONS, POST, PUT } = otherMethods({ GET, PATCH, DELETE });
