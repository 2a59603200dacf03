import { errors } from "@/lib/server/errors";
import { generations } from "@/lib/server/generations";
import { otherMethods } from "@/lib/server/http/methods";
import { route } from "@/lib/server/http/route";
import { isStorageKey } from "@/lib/server/storage";
import { fileKeyParams } from "@/lib/server/storage/serve";

export const runtime = "nodejs";

// GET /api/files/:key/thumb – a small webp of a stored image, made once and kept
export const GET = route({ access: "viewer", params: fileKeyParams }, async ({ params }) => {
  const response = isStorageKey(params.key) ? await generations.thumbnail(params.key) : undefined;
  if (!response) throw errors.notFound("The thumbnail");
  return response;
});

export const { HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods({ GET });
