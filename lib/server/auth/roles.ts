import "server-only";

import { isRole, ROLES, type Role } from "@/lib/scene/team";

/**
 * Who may call a route. `public`: anyone; `viewer`: signed-in people with any role; `member`: those
 * who compose and generate; `admin`: settings, members, budgets.
 */
export type Access = "public" | "viewer" | "member" | "admin";

export { isRole, ROLES, type Role };

const RANK: Record<Access, number> = { public: 0, viewer: 1, member: 2, admin: 3 };

/** Roles are ordered: each one may do everything the ones below it may. */
export function roleAllows(role: Role, access: Access): boolean {
  return RANK[role] >= RANK[access];
}
