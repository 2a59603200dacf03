/**
 * Text every database can hold. PostgreSQL refuses NUL in text and in JSON, and an unpaired UTF-16
 * surrogate (half of an emoji) cannot be encoded at all, so such strings are refused where they
 * arrive, in the schemas, rather than failing in the database.
 */
import { z } from "zod";

// With the `u` flag a surrogate pair reads as one astral code point, so any surrogate left is unpaired.
const UNSTORABLE = /[\u0000\uD800-\uDFFF]/u;

export const UNSTORABLE_MESSAGE = "Contains a character that cannot be stored (a NUL, or half of an emoji)";

export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/** The check to add to a string schema. */
export const storable = z.refine<string>(isStorableText, { message: UNSTORABLE_MESSAGE });

/** A string schema that holds only storable text. */
export function storableString() {
  return z.string().check(storable);
}
