import { requireAccess } from "@/lib/server/auth/authorize";
import { getConfig } from "@/lib/server/config";
import { errors } from "@/lib/server/errors";
import { otherMethods } from "@/lib/server/http/methods";
import { route } from "@/lib/server/http/route";
import { fileKeyParams, fileQuery, fileResponse } from "@/lib/server/storage/serve";
import { checkSignedLink, isSignedLink } from "@/lib/server/storage/signed-links";

export const runtime = "nodejs";

// GET /api/files/:key – a stored file for signed-in people, or for anyone with a signed link
// (?download=1[&name=…] saves it)
export const GET = route(
  { access: "public", params: fileKeyParams, query: fileQuery },
  async ({ params, query, principal }) => {
    // A link that carries a signature is judged by it alone: a changed one is refused, never a 401.
    if (isSignedLink(query)) checkSignedLink(getConfig(), params.key, query);
    else requireAccess(principal, "viewer");
    const response = await fileResponse(params.key, {
      download: query.download !== undefined,
      ...(query.name ? { name: query.name } : {}),
    });
    if (!response) throw errors.notFound("The file");
    return response;
  },
);

export const { HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods({ GET });
