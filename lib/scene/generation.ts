/**
 * The generations API shared by the composer, the gallery and the route handlers.
 *
 *   POST   /api/generations            { request, engine? }        → 202 { generation }
 *   (image edits, `POST /v1/image/edit`, are generations too: `kind: "image_edit"`)
 *   GET    /api/generations?…filters   → { items: Generation[], nextCursor }
 *   GET    /api/generations/:id        → { generation }
 *   PATCH  /api/generations/:id        { favorite }                → { generation }
 *   DELETE /api/generations/:id        → 204
 *   GET    /api/generations/:id/events → text/event-stream of `generation` events until it settles
 *   GET    /api/generations/events?id=…&id=… → one text/event-stream for up to 100 generations
 *   GET    /api/files/:key[?download=1], GET /api/files/:key/thumb
 *   GET    /api/downloads?generation=…&output=… → application/zip (streamed)
 */
import { z } from "zod";

import { httpErrorDetails, renderableRequest, sceneCreateRequest } from "./contract";
import { outputIntegrity } from "./integrity";
import { imageEditRequest } from "./image-edit";
import { storableString } from "./storable";
import { ENGINES, GENERATION_KINDS, type EngineName } from "./vocabulary";

export { ENGINES, GENERATION_KINDS };
export const engineName = z.enum(ENGINES);
export type Engine = EngineName;

export const GENERATION_STATUSES = ["queued", "running", "succeeded", "failed", "interrupted"] as const;
export const generationStatus = z.enum(GENERATION_STATUSES);
export type GenerationStatus = z.output<typeof generationStatus>;

export function isSettled(status: GenerationStatus): boolean {
  return status === "succeeded" || status === "failed" || status === "interrupted";
}

/**
 * Nothing more happens to it on its own: it has settled and no output is still being checked for
 * integrity (that runs right after a success is recorded). Event streams follow a generation until then.
 */
export function isFinal(generation: { status: GenerationStatus; integrityPending: boolean }): boolean {
  return isSettled(generation.status) && !generation.integrityPending;
}

/** A new generation is judged like the composer judges it: refused at the door, not after a failed run. */
export const createGenerationBody = z.strictObject({
  request: renderableRequest,
  engine: engineName.optional(),
});
export type CreateGenerationBody = z.input<typeof createGenerationBody>;

export const generationOutput = z.object({
  id: z.string(),
  index: z.number().int(),
  /** Our stable URL (absent when the file is not stored yet, or was written to a destination). */
  url: z.string().nullable(),
  thumbUrl: z.string().nullable(),
  downloadUrl: z.string().nullable(),
  format: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  size: z.number().int().nullable(),
  destination: z.string().nullable(),
  /** Whether the output shows the product unchanged where the request put it; null until checked. */
  integrity: outputIntegrity.nullable(),
});
export type GenerationOutput = z.output<typeof generationOutput>;

export const generationKind = z.enum(GENERATION_KINDS);

const generationFields = z.object({
  id: z.string(),
  status: generationStatus,
  engine: engineName,
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  favorite: z.boolean(),
  createdBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  timings: z.record(z.string(), z.number()),
  upstreamRequestId: z.string().nullable(),
  error: httpErrorDetails.nullable(),
  /** How it ended, when its status alone does not say (completed after a server restart). */
  note: z.string().nullable(),
  /** The generation whose images this one reuses (an identical request: nothing was generated again). */
  reusedFrom: z.string().nullable(),
  outputs: z.array(generationOutput),
  /** Its outputs are being checked for integrity (for a short while after it succeeded). */
  integrityPending: z.boolean(),
});

/** A generation with its request as it was recorded: a scene, or an image edit. */
export const generation = z.discriminatedUnion("kind", [
  generationFields.extend({ kind: z.literal("scene"), request: sceneCreateRequest }),
  generationFields.extend({ kind: z.literal("image_edit"), request: imageEditRequest }),
]);
export type Generation = z.output<typeof generation>;
export type SceneGeneration = Extract<Generation, { kind: "scene" }>;

/** A day or an instant a person may filter by: the years every database and every clock can hold. */
const filterDate = z.iso
  .datetime({ offset: true })
  .or(z.iso.date())
  .check(
    z.refine(
      (v) => {
        const year = new Date(/T/.test(v) ? v : `${v}T00:00:00Z`).getUTCFullYear();
        return year >= 1970 && year <= 9999;
      },
      { message: "Use a date between 1970 and 9999" },
    ),
  );

export const generationFilters = z.object({
  cursor: storableString().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
  engine: engineName.optional(),
  status: generationStatus.optional(),
  aspect: storableString().max(10).optional(),
  q: storableString().max(200).optional(),
  favorite: z
    .enum(["1", "true"])
    .transform(() => true)
    .optional(),
  from: filterDate.optional(),
  to: filterDate.optional(),
  mine: z
    .enum(["1", "true"])
    .transform(() => true)
    .optional(),
  /** Only generations with an output whose product was altered or moved. */
  flagged: z
    .enum(["1", "true"])
    .transform(() => true)
    .optional(),
});
export type GenerationFilters = z.output<typeof generationFilters>;

export const generationPage = z.object({ items: z.array(generation), nextCursor: z.string().nullable() });
export type GenerationPage = z.output<typeof generationPage>;

export const updateGenerationBody = z.strictObject({ favorite: z.boolean() });

/** How many generations one event stream follows: a page's unsettled work, with room to spare. */
export const MAX_WATCHED = 100;

/** `GET /api/generations/events?id=…&id=…`: the generations to follow, each once, in the order given. */
export const watchSelection = z.object({
  id: z
    .union([storableString(), z.array(storableString())])
    .optional()
    .transform((v) => [...new Set(v === undefined ? [] : Array.isArray(v) ? v : [v])])
    .pipe(
      z
        .array(z.string().min(1).max(100))
        .min(1, "Name at least one generation: ?id=<generation id>")
        .max(MAX_WATCHED, `Follow at most ${MAX_WATCHED} generations in one stream`),
    ),
});

/** Enough for any selection a person makes in the gallery, small enough to bound one request. */
export const MAX_DOWNLOAD_ITEMS = 500;

const generationId = z.string().regex(/^[0-9a-f-]{36}$/, "is not an id");
/** A query key given once or several times, as a list. */
const idList = z
  .union([generationId, z.array(generationId)])
  .default([])
  .transform((v) => (Array.isArray(v) ? v : [v]))
  .pipe(z.array(generationId).max(MAX_DOWNLOAD_ITEMS));

/** `GET /api/downloads?generation=…&output=…`, each repeatable: what goes in the zip. */
export const downloadSelection = z
  .object({ generation: idList, output: idList })
  .refine((s) => s.generation.length + s.output.length > 0, "Name at least one generation or output");
export type DownloadSelection = z.output<typeof downloadSelection>;

/** What `POST /api/uploads` and `POST /api/imports` answer. */
export const uploadedImage = z.object({
  key: z.string(),
  url: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  format: z.string(),
  size: z.number().int(),
  hasAlpha: z.boolean(),
  objectBox: z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }),
});
export type UploadedImage = z.output<typeof uploadedImage>;
