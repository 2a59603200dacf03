import "server-only";

import type { z } from "zod";

import { errors } from "../errors";

export {
  createMemberInput,
  createTokenInput,
  firstAdminInput,
  resetPasswordInput,
  updateMemberInput,
} from "@/lib/scene/team";

/** Parses with `schema` or throws the 422 listing every wrong field. */
export function parseInput<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw errors.validation(parsed.error.issues);
  return parsed.data;
}
