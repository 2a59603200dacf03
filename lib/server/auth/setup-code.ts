import "server-only";

import { createHash, randomInt } from "node:crypto";
import { eq } from "drizzle-orm";

import type { Config } from "../config";
import type { Db } from "../db/client";
import { setupCode } from "../db/schema/auth";
import { hasAnyUser } from "./members";

/** Letters and digits nobody misreads (no 0/O, 1/I/L). */
const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

function hashOf(code: string): string {
  return createHash("sha256").update(normalized(code)).digest("hex");
}

/** What a person types: any case, with or without the dashes and spaces. */
function normalized(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, "");
}

/** Whether the server accepts connections from other machines (anything but a loopback address). */
export function listensBeyondLoopback(config: Pick<Config, "HOST">): boolean {
  const host = config.HOST.toLowerCase().replace(/^\[|\]$/g, "");
  return !(host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host));
}

/**
 * On a fresh install reachable from other machines, whoever opens it first would become its admin;
 * so the first admin also needs a code that only someone who can read the server's output knows. A
 * new code replaces the earlier ones at every start; none is issued once anybody has an account.
 */
export async function issueSetupCode(db: Db, config: Pick<Config, "HOST">): Promise<string | undefined> {
  if (!listensBeyondLoopback(config) || (await hasAnyUser(db))) return undefined;
  const raw = Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
  const code = `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
  await db.transaction(async (tx) => {
    await tx.delete(setupCode);
    await tx.insert(setupCode).values({ codeHash: hashOf(code) });
  });
  return code;
}

/** Whether `code` is the one the server printed. */
export async function isSetupCode(db: Db, code: string | undefined): Promise<boolean> {
  if (!code) return false;
  const [row] = await db
    .select()
    .from(setupCode)
    .where(eq(setupCode.codeHash, hashOf(code)));
  return row !== undefined;
}
