import { getAuth } from "@/lib/server/auth/better-auth";
import { getConfig } from "@/lib/server/config";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// /api/auth/* – Better Auth: sign-in, sign-out, session, single sign-on callbacks (public by nature)
async function handle(request: Request): Promise<Response> {
  const auth = await getAuth(getConfig(), request);
  return auth.handler(request);
}

export const GET = handle;
export const POST = handle;
