import { createGenerationBody, generationFilters } from "@/lib/scene/generation";
import { getConfig } from "@/lib/server/config";
import { errors } from "@/lib/server/errors";
import { history } from "@/lib/server/generations/context";
import { listGenerations } from "@/lib/server/generations/list";
import { queueGeneration } from "@/lib/server/generations/service";
import { readJsonBody } from "@/lib/server/http/body";
import { json } from "@/lib/server/http/respond";
import { route } from "@/lib/server/http/route";
import { ensureWorker } from "@/lib/server/jobs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// POST /api/generations – record a generation and queue it (202; follow it with GET …/:id or …/events)
export const POST = route({ access: "member" }, async ({ request, principal }) => {
  const parsed = createGenerationBody.safeParse(await readJsonBody(request, getConfig().MAX_JSON_BYTES));
  if (!parsed.success) throw errors.validation(parsed.error.issues);
  const h = await history();
  const generation = await queueGeneration(h, { ...parsed.data, principal });
  await ensureWorker();
  return json({ generation }, { status: 202, headers: { location: `/api/generations/${generation.id}` } });
});

// GET /api/generations – newest first, filtered, keyset-paginated
export const GET = route({ access: "viewer" }, async ({ request, principal }) => {
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = generationFilters.safeParse(query);
  if (!parsed.success) throw errors.validation(parsed.error.issues, "The filters are not valid");
  const h = await history();
  return json(await listGenerations(h.db, parsed.data, principal));
});
