import "server-only";

import { getConfig, type Config } from "../config";
import { getDatabase } from "../db/client";
import { errors } from "../errors";
import { getAuth, SECURE_COOKIE_MARK } from "./better-auth";
import { isSafeMethod, isSameOriginWrite } from "./csrf";
import { principalFor, type Principal } from "./principal";
import { roleAllows, type Access } from "./roles";
import { principalForToken } from "./tokens";

export type { Access, Role } from "./roles";
export type { Principal } from "./principal";

const BEARER = /^bearer\s+(\S+)\s*$/i;

/** The signed-in person behind a request's session cookie, if any. */
export async function sessionPrincipal(headers: Headers, config: Config): Promise<Principal | undefined> {
  const cookie = headers.get("cookie");
  if (!cookie) return undefined;
  // Pages see headers but not the scheme; the cookie's own name says which kind it is.
  const secure = config.AUTH_URL
    ? config.AUTH_URL.startsWith("https://")
    : cookie.includes(SECURE_COOKIE_MARK);
  const auth = await getAuth(config, secure);
  const found = await auth.api.getSession({ headers });
  return found ? principalFor(found.user, "session") : undefined;
}

/**
 * Who is calling, and whether they may: a personal access token (`Authorization: Bearer bd_…`) or a
 * session cookie. Throws 401 when nobody valid is signed in (unless `access` is public), 403 when the
 * role is too low, and 403 for a cookie-authenticated write from another origin.
 */
export async function authorize(
  request: Request,
  access: Access,
  config: Config = getConfig(),
): Promise<Principal | undefined> {
  let principal: Principal | undefined;
  const authorization = request.headers.get("authorization");
  if (authorization !== null) {
    const token = BEARER.exec(authorization)?.[1];
    const { db } = await getDatabase(config);
    principal = token ? await principalForToken(db, token, config.TOKEN_CACHE_SECONDS * 1000) : undefined;
    // A wrong credential is refused even where none is needed, so a typo is never silently anonymous.
    if (!principal) throw errors.unauthenticated();
  } else {
    principal = await sessionPrincipal(request.headers, config);
    if (principal && !isSafeMethod(request.method) && !isSameOriginWrite(request, config)) {
      throw errors.forbidden(
        "Cross-origin request refused: send it from the app itself or with a bearer token",
      );
    }
  }
  if (access === "public") return principal;
  return requireAccess(principal, access);
}

/**
 * Throws 401 when nobody is signed in and 403 when their role is below `access`: for a route that
 * admits some callers without a session (a signed link) and checks the others itself.
 */
export function requireAccess(
  principal: Principal | undefined,
  access: Exclude<Access, "public">,
): Principal {
  if (!principal) throw errors.unauthenticated();
  if (!roleAllows(principal.role, access)) {
    throw errors.forbidden(
      `This needs the ${access} role; you are ${principal.role === "admin" ? "an" : "a"} ${principal.role}`,
    );
  }
  return principal;
}
