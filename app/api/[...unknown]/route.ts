import { nothingHere } from "@/lib/server/http/methods";

export const dynamic = "force-dynamic";

// Any other path under /api, and under /v1 and /v1-ea (rewritten here by next.config.mjs): the error
// envelope's 404 for every method, where Next would answer an HTML page or "Server Action unavailable."
export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = nothingHere(
  (request) => new URL(request.url).pathname,
);
