/**
 * The members and tokens API, shared by the settings panels and the route handlers.
 *
 *   GET    /api/members                      → { members: Member[] }
 *   POST   /api/members                      { email, name, role, password? } → 201 { member, temporaryPassword? }
 *   PATCH  /api/members/:id                  { name?, role?, disabled?, dailyImageBudget? } → { member }
 *   POST   /api/members/:id/password         { password? }  → { ok } | { temporaryPassword }
 *   POST   /api/members/first-admin          { email, name, password } → 201 { member }
 *   GET    /api/tokens                       → { tokens: TokenSummary[] }
 *   POST   /api/tokens                       { name, expiresInDays? } → 201 { token, ...TokenSummary }
 *   DELETE /api/tokens/:id                   → 204
 */
import { z } from "zod";

import { storableString } from "./storable";

export const ROLES = ["viewer", "member", "admin"] as const;
export const role = z.enum(ROLES);
export type Role = z.output<typeof role>;

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

const email = z.email("Enter an email address").max(254);
const name = storableString().trim().min(1, "Enter a name").max(100);
const password = storableString().min(10, "Use at least 10 characters").max(256);

export const firstAdminInput = z.strictObject({
  email,
  name,
  password,
  /** Needed when the server listens beyond loopback: the code it printed when it started. */
  setupCode: storableString().max(40).optional(),
});
export type FirstAdminInput = z.input<typeof firstAdminInput>;

export const createMemberInput = z.strictObject({
  email,
  name,
  role,
  /** Omitted: a temporary password is generated and shown once. */
  password: password.optional(),
});
export type CreateMemberInput = z.input<typeof createMemberInput>;

export const updateMemberInput = z
  .strictObject({
    name: name.optional(),
    role: role.optional(),
    disabled: z.boolean().optional(),
    /** Claid images per UTC day; null returns to the configured default. */
    dailyImageBudget: z.number().int().min(0).max(1_000_000).nullable().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, "Send at least one of name, role, disabled, dailyImageBudget");
export type UpdateMemberInput = z.input<typeof updateMemberInput>;

export const resetPasswordInput = z.strictObject({ password: password.optional() });

export const createTokenInput = z.strictObject({
  name: storableString().trim().min(1, "Name the token after what uses it").max(100),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export type CreateTokenInput = z.input<typeof createTokenInput>;

export const member = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role,
  disabled: z.boolean(),
  dailyImageBudget: z.number().int().nullable(),
  createdAt: z.string(),
});
export type Member = z.output<typeof member>;

export const memberList = z.object({ members: z.array(member) });
export const memberAnswer = z.object({ member });
export const createdMember = z.object({ member, temporaryPassword: z.string().optional() });
export const passwordReset = z.union([
  z.object({ ok: z.literal(true) }),
  z.object({ temporaryPassword: z.string() }),
]);

export const tokenSummary = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
});
export type TokenSummary = z.output<typeof tokenSummary>;

export const tokenList = z.object({ tokens: z.array(tokenSummary) });
export const createdToken = tokenSummary.extend({ token: z.string() });
