import { NextResponse, type NextRequest } from "next/server";

import { newNonce, securityHeaders } from "@/lib/server/auth/security-headers";

/**
 * Security headers and a fresh CSP nonce for every page. Next reads the nonce from the request's
 * Content-Security-Policy header and puts it on its own scripts. This is not an access check: every
 * page and route checks access itself.
 */
export function proxy(request: NextRequest) {
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
  matcher: ["/((?!api/|v1/|_next/static|_next/image|favicon.ico).*)"],
};
