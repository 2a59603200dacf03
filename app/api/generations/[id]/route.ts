import { updateGenerationBody } from "@/lib/scene/generation";
import { getConfig } from "@/lib/server/config";
import { errors } from "@/lib/server/errors";
import { history } from "@/lib/server/generations/context";
import { requirePrincipal } from "@/lib/server/generations/principal";
import { deleteGeneration, getGeneration, setFavorite } from "@/lib/server/generations/records";
import { readJsonBody } from "@/lib/server/http/body";
import { json } from "@/lib/server/http/respond";
import { route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Params = { id: string };

// GET /api/generations/:id – one generation with its outputs
export const GET = route<Params>({ access: "viewer" }, async ({ params }) => {
  const h = await history();
  return json({ generation: await getGeneration(h.db, params.id) });
});

// PATCH /api/generations/:id – mark or unmark as favourite
export const PATCH = route<Params>({ access: "member" }, async ({ request, params, principal }) => {
  const parsed = updateGenerationBody.safeParse(await readJsonBody(request, getConfig().MAX_JSON_BYTES));
  if (!parsed.success) throw errors.validation(parsed.error.issues);
  const h = await history();
  return json({
    generation: await setFavorite(h.db, params.id, parsed.data.favorite, requirePrincipal(principal)),
  });
});

// DELETE /api/generations/:id – delete a finished generation; files go when nothing references them
export const DELETE = route<Params>({ access: "member" }, async ({ params, principal }) => {
  const h = await history();
  await deleteGeneration(h.db, h.store, params.id, requirePrincipal(principal));
  return new Response(null, { status: 204 });
});
