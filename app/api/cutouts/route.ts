import { cutoutRequest } from "@/lib/scene/cutout";
import { edits } from "@/lib/server/edits";
import { otherMethods } from "@/lib/server/http/methods";
import { publicOrigin } from "@/lib/server/http/origin";
import { json } from "@/lib/server/http/respond";
import { route } from "@/lib/server/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// POST /api/cutouts – the background of an uploaded image removed, kept as a new upload (201)
export const POST = route({ access: "member", body: cutoutRequest }, async ({ request, body, principal }) => {
  const cutout = await edits.cutout(body.image_url, {
    principal,
    // Drafts are free: the local engine unless Claid is asked for.
    engine: body.engine ?? "local",
    signal: request.signal,
    origin: publicOrigin(request),
  });
  return json(cutout, { status: 201 });
});

export const { HEAD, OPTIONS, GET, PUT, PATCH, DELETE } = otherMethods({ POST });
