import { NextResponse, type NextRequest } from "next/server";

import { isOwnHost, ownOrigins, requestHost } from "@/lib/server/auth/csrf";
import { newNonce, securityHeaders } from "@/lib/server/auth/security-headers";
import { getConfig } from "@/lib/server/config";

/**
 * Security headers and a fresh CSP nonce for every page. Next reads the nonce from the request's
 * Content-Security-Policy header and puts it on its own scripts. This is not an access check: every
 * page and route checks access itself.
 */
export function proxy(request: NextRequest) {
  // A page on another name that resolves here (DNS rebinding) is not ours to serve.
  const config = getConfig();
  if (!isOwnHost(request, config)) {
    const at = ownOrigins(config)[0] ?? "its own address";
    return new NextResponse(
      `This server does not answer to "${requestHost(request).slice(0, 100)}". Open it at ${at}, or set PUBLIC_BASE_URL to the address people use.\n`,
      { status: 421, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } },
    );
  }
  const nonce = newNonce();
  const headers = securityHeaders(nonce, process.env.NODE_ENV === "development");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", headers["Content-Security-Policy"]);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Pages only: API routes answer JSON and files with their own headers, static assets need none.
  matcher: ["/((?!api/|v1/|v1-ea/|_next/static|_next/image|favicon.ico).*)"],
};
