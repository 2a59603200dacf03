import "server-only";

/**
 * Who may call a route. `public`: anyone; `viewer`: signed-in people with any role; `member`: those
 * who compose and generate; `admin`: settings, members, budgets.
 */
export type Access = "public" | "viewer" | "member" | "admin";
export type Role = "viewer" | "member" | "admin";

export type Principal = {
  userId: string;
  name: string;
  email: string;
  role: Role;
  /** How the caller proved who they are. */
  via: "session" | "token" | "local";
};

/**
 * Until sign-in exists the server only listens on 127.0.0.1 and everyone there acts as one local admin.
 * The sign-in work replaces this with session and token checks (and CSRF checks for cookie writes).
 */
export async function authorize(_request: Request, _access: Access): Promise<Principal | undefined> {
  return { userId: "local", name: "Local user", email: "local@localhost", role: "admin", via: "local" };
}
