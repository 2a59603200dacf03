import "server-only";

import type { Principal } from "../auth/authorize";
import { errors } from "../errors";

/** Routes that are not public always have a principal; this narrows the type and guards a mistake. */
export function requirePrincipal(principal: Principal | undefined): Principal {
  if (!principal) throw errors.unauthenticated();
  return principal;
}
