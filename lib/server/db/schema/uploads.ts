import { boolean, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** An image someone uploaded or imported; its bytes live in storage under `key` (content-addressed). */
export const uploads = pgTable(
  "uploads",
  {
    key: text("key").primaryKey(),
    sha256: text("sha256").notNull(),
    size: integer("size").notNull(),
    format: text("format").notNull(),
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    hasAlpha: boolean("has_alpha").notNull(),
    /** Bounding box of the opaque pixels, in image pixels (see ARCHITECTURE §2). */
    objectBox: jsonb("object_box").$type<{ x: number; y: number; width: number; height: number }>().notNull(),
    /** The upload this one was made from (a cutout's original), by key; null for what people sent. */
    derivedFrom: text("derived_from"),
    /** The generation that made it (a cutout's image edit). */
    generationId: text("generation_id"),
    createdBy: text("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index("uploads_created_at_idx").on(t.createdAt.desc())],
);
