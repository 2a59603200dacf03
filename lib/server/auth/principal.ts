import "server-only";

import { isRole, type Role } from "./roles";

export type Principal = {
  userId: string;
  name: string;
  email: string;
  role: Role;
  /** How the caller proved who they are. */
  via: "session" | "token" | "local";
};

type UserLike = { id: string; name: string; email: string; role?: unknown; disabled?: unknown };

/** A user row as the caller of a request; none for a disabled person or an unknown role. */
export function principalFor(row: UserLike, via: Principal["via"]): Principal | undefined {
  if (row.disabled === true || !isRole(row.role)) return undefined;
  return { userId: row.id, name: row.name, email: row.email, role: row.role, via };
}
