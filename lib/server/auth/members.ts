import "server-only";

import { randomBytes, randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { and, asc, count, eq, ne } from "drizzle-orm";

import type { Member, Role } from "@/lib/scene/team";

import type { Db } from "../db/client";
import { account, installClaim, session, setupCode, user } from "../db/schema/auth";
import { errors, isApiError } from "../errors";
import { forgetCachedPrincipals } from "./token-cache";

export type { Member };

const FIRST_ADMIN_CLAIM = "first-admin";
const CREDENTIAL_PROVIDER = "credential";

function toMember(row: typeof user.$inferSelect): Member {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role as Role,
    disabled: row.disabled,
    dailyImageBudget: row.dailyImageBudget,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Readable enough to dictate, long enough (about 80 bits) to be safe until it is changed. */
export function temporaryPassword(): string {
  return randomBytes(10).toString("base64url").replace(/[-_]/g, "x");
}

export async function hasAnyUser(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(user);
  return (row?.n ?? 0) > 0;
}

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

async function insertUserWithPassword(
  tx: Tx | Db,
  input: { email: string; name: string; role: Role; password: string },
): Promise<typeof user.$inferSelect> {
  const email = input.email.trim().toLowerCase();
  const [existing] = await tx.select({ id: user.id }).from(user).where(eq(user.email, email)).limit(1);
  if (existing) throw errors.emailTaken();
  const id = randomUUID();
  const [row] = await tx
    .insert(user)
    .values({ id, email, name: input.name.trim(), role: input.role, emailVerified: true })
    .returning();
  await tx.insert(account).values({
    id: randomUUID(),
    userId: id,
    accountId: id,
    providerId: CREDENTIAL_PROVIDER,
    password: await hashPassword(input.password),
  });
  if (!row) throw new Error("the user was not stored");
  return row;
}

/** 409 once anybody has an account. */
export async function assertFreshInstall(db: Db): Promise<void> {
  if (await hasAnyUser(db)) throw errors.alreadySetUp();
}

/**
 * Creates the install's first admin. The claim row and the user are written in one transaction, so of
 * two simultaneous first visits exactly one succeeds and the other gets 409.
 */
export async function createFirstAdmin(
  db: Db,
  input: { email: string; name: string; password: string },
): Promise<Member> {
  await assertFreshInstall(db);
  try {
    return await db.transaction(async (tx) => {
      const claimed = await tx
        .insert(installClaim)
        .values({ id: FIRST_ADMIN_CLAIM })
        .onConflictDoNothing()
        .returning({ id: installClaim.id });
      if (claimed.length === 0) throw errors.alreadySetUp();
      await tx.delete(setupCode);
      return toMember(await insertUserWithPassword(tx, { ...input, role: "admin" }));
    });
  } catch (error) {
    // Two inserts racing on the claim's primary key: the loser sees a unique violation, not an empty insert.
    if (isApiError(error)) throw error;
    if (await hasAnyUser(db)) throw errors.alreadySetUp();
    throw error;
  }
}

export async function listMembers(db: Db): Promise<Member[]> {
  const rows = await db.select().from(user).orderBy(asc(user.createdAt), asc(user.email));
  return rows.map(toMember);
}

export async function findMember(db: Db, id: string): Promise<Member | undefined> {
  const [row] = await db.select().from(user).where(eq(user.id, id)).limit(1);
  return row ? toMember(row) : undefined;
}

export async function findMemberByEmail(db: Db, email: string): Promise<Member | undefined> {
  const [row] = await db.select().from(user).where(eq(user.email, email.trim().toLowerCase())).limit(1);
  return row ? toMember(row) : undefined;
}

/** Creates a person who signs in with `password` (a temporary one when not given, returned once). */
export async function createMember(
  db: Db,
  input: { email: string; name: string; role: Role; password?: string },
): Promise<{ member: Member; password: string }> {
  const password = input.password ?? temporaryPassword();
  const row = await db.transaction((tx) => insertUserWithPassword(tx, { ...input, password }));
  return { member: toMember(row), password };
}

/** Refuses a change that would leave the install without an enabled admin. */
async function assertAnotherAdmin(db: Db, id: string) {
  const [row] = await db
    .select({ n: count() })
    .from(user)
    .where(and(eq(user.role, "admin"), eq(user.disabled, false), ne(user.id, id)));
  if ((row?.n ?? 0) === 0) {
    throw errors.lastAdmin();
  }
}

export async function updateMember(
  db: Db,
  id: string,
  change: { role?: Role; disabled?: boolean; dailyImageBudget?: number | null; name?: string },
): Promise<Member> {
  const current = await findMember(db, id);
  if (!current) throw errors.notFound("The member");
  const losesAdmin =
    current.role === "admin" &&
    !current.disabled &&
    ((change.role && change.role !== "admin") || change.disabled === true);
  if (losesAdmin) await assertAnotherAdmin(db, id);
  const [row] = await db
    .update(user)
    .set({ ...change, updatedAt: new Date() })
    .where(eq(user.id, id))
    .returning();
  if (!row) throw errors.notFound("The member");
  // Tokens act with the new role, or stop working, from the next request on.
  forgetCachedPrincipals();
  // Sessions end at once.
  if (change.disabled === true) await db.delete(session).where(eq(session.userId, id));
  return toMember(row);
}

/** Sets a new password (temporary when not given) and signs the person out everywhere. */
export async function resetPassword(db: Db, id: string, password = temporaryPassword()): Promise<string> {
  const member = await findMember(db, id);
  if (!member) throw errors.notFound("The member");
  const hash = await hashPassword(password);
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(account)
      .set({ password: hash, updatedAt: new Date() })
      .where(and(eq(account.userId, id), eq(account.providerId, CREDENTIAL_PROVIDER)))
      .returning({ id: account.id });
    if (updated.length === 0) {
      await tx.insert(account).values({
        id: randomUUID(),
        userId: id,
        accountId: id,
        providerId: CREDENTIAL_PROVIDER,
        password: hash,
      });
    }
    await tx.delete(session).where(eq(session.userId, id));
  });
  return password;
}
