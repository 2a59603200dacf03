import { randomUUID } from "node:crypto";

import { createMember } from "@/lib/server/auth/members";
import { createToken } from "@/lib/server/auth/tokens";
import type { Config } from "@/lib/server/config";
import { getDatabase } from "@/lib/server/db/client";

/** A personal access token of a new member, as a script or Claid client would send it. */
export async function memberToken(config: Config): Promise<string> {
  const { db } = await getDatabase(config);
  const { member } = await createMember(db, {
    email: `member-${randomUUID()}@example.com`,
    name: "API client",
    role: "member",
  });
  const { token } = await createToken(db, { userId: member.id, name: "scene tests" });
  return token;
}
