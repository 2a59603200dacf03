import { createGenerationBody, generationFilters } from "@/lib/scene/generation";
import { generations } from "@/lib/server/generations";
import { otherMethods } from "@/lib/server/http/methods";
import { json } from "@/lib/server/http/respond";
import { route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// POST /api/generations – record a generation and queue it (202; follow it with GET …/:id or …/events)
export const POST = route({ access: "member", body: createGenerationBody }, async ({ body, principal }) => {
  const generation = await generations.queue({ ...body, principal });
  return json({ generation }, { status: 202, headers: { location: `/api/generations/${generation.id}` } });
});

// GET /api/generations – newest first, filtered, keyset-paginated
export const GET = route({ access: "viewer", query: generationFilters }, async ({ query, principal }) =>
  json(await generations.list(query, principal)),
);

export const { HEAD, OPTIONS, PUT, PATCH, DELETE } = otherMethods({ GET, POST });
