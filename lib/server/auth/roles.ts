import "server-only";

/**
 * Who may call a route. `public`: anyone; `viewer`: signed-in people with any role; `member`: those
 * who compose and generate; `admin`: settings, members, budgets.
 */
export type Access = "public" | "viewer" | "member" | "admin";
export type Role = "viewer" | "member" | "admin";

export const ROLES = ["viewer", "member", "admin"] as const satisfies readonly Role[];

const RANK: Record<Access, number> = { public: 0, viewer: 1, member: 2, admin: 3 };

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** Roles are ordered: each one may do everything the ones below it may. */
export function roleAllows(role: Role, access: Access): boolean {
  return RANK[role] >= RANK[access];
}
