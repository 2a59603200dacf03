import { errors } from "@/lib/server/errors";
import { route } from "@/lib/server/http/route";
import { fileKeyParams, fileResponse } from "@/lib/server/storage/serve";

export const runtime = "nodejs";

// GET /api/files/:key – a stored file (?download=1 to save it)
export const GET = route({ access: "viewer", params: fileKeyParams }, async ({ request, params }) => {
  const response = await fileResponse(params.key, {
    download: new URL(request.url).searchParams.has("download"),
  });
  if (!response) throw errors.notFound("The file");
  return response;
});
