import "server-only";

import { z } from "zod";

import { errors } from "../errors";
import { ROLES } from "./roles";

const email = z.email("Enter an email address").max(254);
const name = z.string().trim().min(1, "Enter a name").max(100);
const password = z.string().min(10, "Use at least 10 characters").max(256);

export const firstAdminInput = z.strictObject({ email, name, password });

export const createMemberInput = z.strictObject({
  email,
  name,
  role: z.enum(ROLES),
  /** Omitted: a temporary password is generated and shown once. */
  password: password.optional(),
});

export const updateMemberInput = z
  .strictObject({
    name: name.optional(),
    role: z.enum(ROLES).optional(),
    disabled: z.boolean().optional(),
    /** Claid images per UTC day; null returns to the configured default. */
    dailyImageBudget: z.number().int().min(0).max(1_000_000).nullable().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, "Send at least one of name, role, disabled, dailyImageBudget");

export const resetPasswordInput = z.strictObject({ password: password.optional() });

export const createTokenInput = z.strictObject({
  name: z.string().trim().min(1, "Name the token after what uses it").max(100),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});

/** Parses with `schema` or throws the 422 listing every wrong field. */
export function parseInput<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw errors.validation(parsed.error.issues);
  return parsed.data;
}
