import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

import type { HttpErrorDetails, ImageInfo, SceneCreateRequest } from "@/lib/scene/contract";
import type { OutputIntegrity } from "@/lib/scene/integrity";
import type { ImageEditRequest } from "@/lib/scene/image-edit";

// Relative, not "@/…": drizzle-kit loads schema files without the app's path aliases.
import { ENGINES, GENERATION_KINDS } from "../../../scene/vocabulary";

const at = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * One scene/create or image/edit request and its life: recorded before any engine work, so a crash or
 * a closed tab never loses it. The row doubles as the job: workers claim `queued` rows with FOR UPDATE
 * SKIP LOCKED.
 */
export const generations = pgTable(
  "generations",
  {
    id: text("id").primaryKey(),
    createdBy: text("created_by"),
    createdByName: text("created_by_name"),
    engine: text("engine", { enum: ENGINES }).notNull(),
    /** `scene`: `request` is a scene/create body; `image_edit`: an image/edit body. */
    kind: text("kind", { enum: GENERATION_KINDS }).notNull().default("scene"),
    request: jsonb("request").$type<SceneCreateRequest | ImageEditRequest>().notNull(),
    /**
     * An image edit's body as JSON text with its fields in the order the client sent them (jsonb
     * keeps neither order nor unknown-to-us layout), so the claid engine forwards it unchanged.
     */
    requestText: text("request_text"),
    status: text("status", { enum: ["queued", "running", "succeeded", "failed", "interrupted"] })
      .notNull()
      .default("queued"),
    createdAt: at("created_at").notNull().defaultNow(),
    startedAt: at("started_at"),
    finishedAt: at("finished_at"),
    /** Milliseconds: queue, upstream (and whatever the engine measured). */
    timings: jsonb("timings").$type<Record<string, number>>().notNull().default({}),
    upstreamRequestId: text("upstream_request_id"),
    error: jsonb("error").$type<HttpErrorDetails>(),
    /** The HTTP status the error answers with, so the synchronous endpoint replays it faithfully. */
    errorStatus: integer("error_status"),
    /** What the engine said about the input image; the Claid envelope repeats it. */
    inputInfo: jsonb("input_info").$type<ImageInfo>(),
    /** What a person should know about how it ended besides its status (a recovery after a restart). */
    note: text("note"),
    favorite: boolean("favorite").notNull().default(false),
    /** Searchable prompt text and the frame's aspect ratio, taken from the request for the filters. */
    promptText: text("prompt_text").notNull().default(""),
    aspectRatio: text("aspect_ratio"),
    /** Which worker runs it and when it last said so: a stale heartbeat means the worker died. */
    workerId: text("worker_id"),
    heartbeatAt: at("heartbeat_at"),
    attempts: integer("attempts").notNull().default(0),
    /**
     * Claim order: 0 for what a person waits for (a Generate click, the scene/create API), 1 for
     * campaign items, which yield to them.
     */
    priority: smallint("priority").notNull().default(0),
    /** The exact request with its engine, canonical and hashed: what an identical later request can reuse. */
    requestKey: text("request_key"),
    /** The generation whose stored images this one reuses (nothing was generated or paid again). */
    reusedFrom: text("reused_from"),
    /**
     * When its scene/create request was first handed to the upstream. A generation interrupted without
     * one never reached Claid, so running it again cannot charge twice.
     */
    upstreamSentAt: at("upstream_sent_at"),
  },
  (t) => [
    check(
      "generations_status_check",
      sql`${t.status} in ('queued', 'running', 'succeeded', 'failed', 'interrupted')`,
    ),
    check("generations_kind_check", sql`${t.kind} in ('scene', 'image_edit')`),
    index("generations_newest_idx").on(t.createdAt.desc(), t.id.desc()),
    index("generations_creator_newest_idx").on(t.createdBy, t.createdAt.desc(), t.id.desc()),
    index("generations_engine_newest_idx").on(t.engine, t.createdAt.desc(), t.id.desc()),
    index("generations_status_newest_idx").on(t.status, t.createdAt.desc(), t.id.desc()),
    index("generations_aspect_newest_idx").on(t.aspectRatio, t.createdAt.desc(), t.id.desc()),
    index("generations_favorite_newest_idx")
      .on(t.createdAt.desc(), t.id.desc())
      .where(sql`${t.favorite}`),
    index("generations_queue_idx")
      .on(t.priority, t.createdAt, t.id)
      .where(sql`${t.status} = 'queued'`),
    index("generations_reusable_idx")
      .on(t.requestKey, t.finishedAt.desc())
      .where(sql`${t.status} = 'succeeded'`),
    index("generations_running_idx")
      .on(t.heartbeatAt)
      .where(sql`${t.status} = 'running'`),
  ],
);

/** One output image of a generation. `fileKey` is null until its bytes are in our storage. */
export const generationOutputs = pgTable(
  "generation_outputs",
  {
    id: text("id").primaryKey(),
    generationId: text("generation_id")
      .notNull()
      .references(() => generations.id, { onDelete: "cascade" }),
    index: integer("index").notNull(),
    fileKey: text("file_key"),
    format: text("format").notNull(),
    mime: text("mime").notNull(),
    size: integer("size"),
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    info: jsonb("info").$type<ImageInfo>().notNull(),
    /** The upstream's temporary URL and when it expires: still fetchable after a failed download. */
    upstreamUrl: text("upstream_url"),
    upstreamExpiresAt: at("upstream_expires_at"),
    /** A `storage://` destination the output was written to instead of our storage. */
    destination: text("destination"),
    /** The product-integrity verdict, recorded once the file is stored and checked; null until then. */
    integrity: jsonb("integrity").$type<OutputIntegrity>(),
  },
  (t) => [
    uniqueIndex("generation_outputs_generation_index_idx").on(t.generationId, t.index),
    index("generation_outputs_file_key_idx").on(t.fileKey),
    // The gallery's "flagged" filter: few outputs are, so the index holds only those.
    index("generation_outputs_flagged_idx")
      .on(t.generationId)
      .where(sql`${t.integrity}->>'verdict' in ('altered', 'moved')`),
  ],
);

/**
 * Files a running generation has written to storage before its outputs are recorded. A crash between
 * the write and the record leaves the claim behind, so recovery can remove the file instead of
 * leaving an orphan.
 */
export const fileClaims = pgTable(
  "file_claims",
  {
    generationId: text("generation_id")
      .notNull()
      .references(() => generations.id, { onDelete: "cascade" }),
    fileKey: text("file_key").notNull(),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.generationId, t.fileKey] }),
    index("file_claims_file_key_idx").on(t.fileKey),
  ],
);

/** Server-side thumbnails: one small webp per stored image, itself content-addressed. */
export const thumbnails = pgTable(
  "thumbnails",
  {
    sourceKey: text("source_key").primaryKey(),
    thumbKey: text("thumb_key").notNull(),
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [index("thumbnails_thumb_key_idx").on(t.thumbKey)],
);
