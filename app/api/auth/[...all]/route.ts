import { getAuth } from "@/lib/server/auth/better-auth";
import { isOwnHost, isSameOriginWrite, ownOrigins, requestHost } from "@/lib/server/auth/csrf";
import { getConfig } from "@/lib/server/config";
import { errors } from "@/lib/server/errors";
import { otherMethods } from "@/lib/server/http/methods";
import { errorResponse } from "@/lib/server/http/respond";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// /api/auth/* – Better Auth: sign-in, sign-out, session, single sign-on callbacks (public by nature).
// Its writes get the same rules as ours: our own address only, and only from our own pages.
async function handle(request: Request): Promise<Response> {
  const config = getConfig();
  if (!isOwnHost(request, config)) {
    return errorResponse(errors.unknownHost(requestHost(request), ownOrigins(config)));
  }
  if (request.method !== "GET" && !isSameOriginWrite(request, config)) {
    return errorResponse(errors.forbidden("Sign in from the app's own sign-in page"));
  }
  const auth = await getAuth(config, request);
  return auth.handler(request);
}

export const GET = handle;
export const POST = handle;

export const { HEAD, OPTIONS, PUT, PATCH, DELETE } = otherMethods({ GET, POST });
