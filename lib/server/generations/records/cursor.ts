import "server-only";

import { errors } from "../../errors";

/** Keyset position in the newest-first order: the last item's creation time and id. */
export type Cursor = { createdAt: Date; id: string };

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`, "utf8").toString("base64url");
}

export function decodeCursor(value: string): Cursor {
  const text = Buffer.from(value, "base64url").toString("utf8");
  const bar = text.indexOf("|");
  const createdAt = new Date(text.slice(0, bar));
  const id = text.slice(bar + 1);
  if (bar < 1 || Number.isNaN(createdAt.getTime()) || !id || id.length > 100) {
    throw errors.invalidCursor();
  }
  return { createdAt, id };
}
