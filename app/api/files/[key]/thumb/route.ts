import { errors } from "@/lib/server/errors";
import { history } from "@/lib/server/generations/context";
import { thumbnailFor } from "@/lib/server/generations/thumbnails";
import { route } from "@/lib/server/http/route";
import { isStorageKey } from "@/lib/server/storage";
import { fileResponse } from "@/lib/server/storage/serve";

export const runtime = "nodejs";

// GET /api/files/:key/thumb – a small webp of a stored image, made once and kept
export const GET = route<{ key: string }>({ access: "viewer" }, async ({ params }) => {
  if (!isStorageKey(params.key)) throw errors.notFound("The file");
  const h = await history();
  const thumb = await thumbnailFor(h.db, h.store, params.key);
  const response = thumb && (await fileResponse(h.config, thumb.key));
  if (!response) throw errors.notFound("The thumbnail");
  return response;
});
