import { backdropPreviewQuery } from "@/lib/scene/preview";
import { getConfig } from "@/lib/server/config";
import { backdropPreview, PREVIEW_CONTENT_TYPE } from "@/lib/server/engines/local/preview";
import { otherMethods } from "@/lib/server/http/methods";
import { route } from "@/lib/server/http/route";
import { objectStoreFor } from "@/lib/server/storage";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// GET /api/previews/backdrop?scene=…&width=…&height=… – the draft engine's backdrop for a scene, small
export const GET = route({ access: "member", query: backdropPreviewQuery }, async ({ query, request }) => {
  const config = getConfig();
  const bytes = await backdropPreview(query, {
    config,
    storage: objectStoreFor(config.DATA_DIR),
    signal: request.signal,
  });
  return new Response(new Uint8Array(bytes), {
    headers: {
      "content-type": PREVIEW_CONTENT_TYPE,
      "content-length": String(bytes.byteLength),
      "x-content-type-options": "nosniff",
      // The link names everything the picture depends on; a template behind a URL may change, so
      // not forever.
      "cache-control": "private, max-age=3600",
    },
  });
});

export const { HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods({ GET });
