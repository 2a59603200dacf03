// Shared set-up for auth, limits and security tests: one database per test file (each file has its own
// DATA_DIR), real users in it, and real credentials (tokens, session cookies) for each role.
import { getAuth } from "@/lib/server/auth/better-auth";
import { createFirstAdmin, createMember, hasAnyUser } from "@/lib/server/auth/members";
import type { Role } from "@/lib/server/auth/roles";
import { createToken } from "@/lib/server/auth/tokens";
import type { Config } from "@/lib/server/config";
import { getDatabase, type Db } from "@/lib/server/db/client";

export const ORIGIN = "http://127.0.0.1:3000";
export const PASSWORD = "correct horse battery";
/** Opening a new PGlite data folder takes seconds, and much longer while other suites share the CPU. */
export const DB_SETUP_TIMEOUT = 240_000;

export type TestUser = { id: string; email: string; role: Role; token: string; cookie: string };

export async function testDb(config: Config): Promise<Db> {
  return (await getDatabase(config)).db;
}

/** Signs in through Better Auth's own endpoint, as the browser does, and returns the session cookie. */
export async function signIn(config: Config, email: string, password = PASSWORD): Promise<Response> {
  const auth = await getAuth(config);
  return auth.handler(
    new Request(`${ORIGIN}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: ORIGIN },
      body: JSON.stringify({ email, password }),
    }),
  );
}

export function cookieFrom(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

async function userWith(config: Config, db: Db, role: Role, email: string): Promise<TestUser> {
  const { member } = await createMember(db, { email, name: `${role} person`, role, password: PASSWORD });
  const { token } = await createToken(db, { userId: member.id, name: "tests" });
  const response = await signIn(config, email);
  if (response.status !== 200) throw new Error(`sign-in for ${email} answered ${response.status}`);
  return { id: member.id, email, role, token, cookie: cookieFrom(response) };
}

/** An admin (the install's first), a member and a viewer, each with a token and a session cookie. */
export async function seedUsers(config: Config, db: Db, tag = "t"): Promise<Record<Role, TestUser>> {
  let admin: TestUser;
  if (!(await hasAnyUser(db))) {
    const first = await createFirstAdmin(db, {
      email: `admin-${tag}@example.com`,
      name: "Admin",
      password: PASSWORD,
    });
    const { token } = await createToken(db, { userId: first.id, name: "tests" });
    admin = {
      id: first.id,
      email: first.email,
      role: "admin",
      token,
      cookie: cookieFrom(await signIn(config, first.email)),
    };
  } else {
    admin = await userWith(config, db, "admin", `admin-${tag}@example.com`);
  }
  return {
    admin,
    member: await userWith(config, db, "member", `member-${tag}@example.com`),
    viewer: await userWith(config, db, "viewer", `viewer-${tag}@example.com`),
  };
}
