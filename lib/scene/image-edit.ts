/**
 * Claid's image-editing API, which real pipelines call before scene/create:
 *
 *   POST /v1/image/edit         { input, operations?, output? }         → { data: { input, output } }
 *   POST /v1/image/edit/upload  multipart `file` + optional `data` JSON   → { data: { input, output } }
 *
 * No OpenAPI document for these is published, so the schemas are written from Claid's docs (the facts
 * are in ARCHITECTURE §9). The top level is strict; inside `operations` the documented fields are
 * checked and whatever the docs do not describe is passed on, because Claid has more operations than
 * they list and judges those itself (a stricter proxy would block real use; a looser one only defers a
 * free 422 to the upstream). The local engine refuses, by name, every field it does not implement.
 */
import { z } from "zod";

import { imageInfo, outputFormat, outputImage, uriString } from "./contract";
import { isStorableText, storable, storableString, UNSTORABLE_MESSAGE } from "./storable";
import { isEditShaped, isRecord, TRANSPARENT } from "./vocabulary";

/** Deeper than any edit Claid documents; bounds what a passed-on field may hold. */
const MAX_DEPTH = 16;

/**
 * Where a value passed on unread cannot be stored: every key and string is checked like the
 * schemas' own (no NUL, no lone surrogate), and nesting is bounded. Walked without recursion.
 */
function unstorable(value: unknown): { path: PropertyKey[]; message: string }[] {
  const problems: { path: PropertyKey[]; message: string }[] = [];
  const stack: { value: unknown; path: PropertyKey[] }[] = [{ value, path: [] }];
  while (stack.length > 0 && problems.length < 20) {
    const next = stack.pop()!;
    if (typeof next.value === "string") {
      if (!isStorableText(next.value)) problems.push({ path: next.path, message: UNSTORABLE_MESSAGE });
      continue;
    }
    if (typeof next.value !== "object" || next.value === null) continue;
    if (next.path.length >= MAX_DEPTH) {
      problems.push({ path: next.path, message: `Nested more than ${MAX_DEPTH} levels deep` });
      continue;
    }
    for (const [key, child] of Object.entries(next.value)) {
      const path = [...next.path, Array.isArray(next.value) ? Number(key) : key];
      if (!isStorableText(key)) problems.push({ path, message: UNSTORABLE_MESSAGE });
      else stack.push({ value: child, path });
    }
  }
  return problems;
}

/**
 * The request exactly as given once `schema` accepts it: same fields, same order, fields the schema
 * passes on included. The claid engine forwards it unchanged, so nothing a client sent may be
 * reordered or dropped on the way. Only schemas without transforms or defaults may be wrapped, so
 * that the given value is of the schema's type.
 */
function asGiven<S extends z.ZodType>(schema: S) {
  return z.unknown().transform((value, ctx): z.output<S> => {
    const problems = unstorable(value);
    if (problems.length > 0) {
      for (const { path, message } of problems) ctx.addIssue({ code: "custom", message, path, input: value });
      return z.NEVER;
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        // Each unknown field under its own path, so a client sees which one to drop.
        const paths =
          issue.code === "unrecognized_keys" ? issue.keys.map((key) => [...issue.path, key]) : [issue.path];
        const message = issue.code === "unrecognized_keys" ? "Unknown field" : issue.message;
        for (const path of paths) ctx.addIssue({ code: "custom", message, path, input: value });
      }
      return z.NEVER;
    }
    return value as z.output<S>;
  });
}

// ----- operations.background -------------------------------------------------------------------

export const REMOVAL_CATEGORIES = ["general", "products", "cars"] as const;
export const HEX_COLOUR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

export const backgroundColour = z.string().check(
  storable,
  z.refine((v) => v === TRANSPARENT || HEX_COLOUR.test(v), {
    message: 'Use "transparent" or a hex colour like "#ffffff"',
  }),
);

export const removeOptions = z
  .looseObject({
    category: z.enum(REMOVAL_CATEGORIES).optional(),
    selective: z.looseObject({ object_to_keep: storableString().min(1).max(1000) }).optional(),
    clipping: z.boolean().optional(),
  })
  .superRefine((options, ctx) => {
    if (options.category !== undefined && options.selective !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["selective"],
        message: "category and selective can not be used together",
      });
    }
  });

export const backgroundOperation = z.looseObject({
  /** `true`, or options; `false` is the same as leaving it out. */
  remove: z.union([z.boolean(), removeOptions]).optional(),
  /** What replaces the removed background (white unless told): "transparent" needs png, webp or avif. */
  color: backgroundColour.optional(),
});

// ----- operations.padding ----------------------------------------------------------------------

/** One side of a padding: a percentage of the side ("10%", or a bare number) or pixels ("30px"). */
export type PaddingLength = { value: number; unit: "%" | "px" };
/** CSS order: top, right, bottom, left. */
export type EditPadding = {
  top: PaddingLength;
  right: PaddingLength;
  bottom: PaddingLength;
  left: PaddingLength;
};

const LENGTH = /^(\d+(?:\.\d+)?|\.\d+)(%|px)?$/;

/**
 * `"P"`, `"V H"`, `"T H B"` or `"T R B L"`, CSS-like; undefined when it is not such a value. A bare
 * number is a percentage, as the scene contract's padding reads it.
 */
export function parseEditPadding(input: string): EditPadding | undefined {
  const tokens = input.trim().split(/\s+/);
  if (tokens.length < 1 || tokens.length > 4 || tokens[0] === "") return undefined;
  const lengths: PaddingLength[] = [];
  for (const token of tokens) {
    const match = LENGTH.exec(token);
    if (!match) return undefined;
    lengths.push({ value: Number(match[1]), unit: match[2] === "px" ? "px" : "%" });
  }
  const [top, right = top, bottom = top, left = right] = lengths as [PaddingLength, ...PaddingLength[]];
  return { top, right, bottom, left };
}

function percentagesWithinHalf(padding: EditPadding): boolean {
  return [padding.top, padding.right, padding.bottom, padding.left].every(
    (side) => side.unit === "px" || side.value <= 50,
  );
}

export const paddingOperation = z.string().check(
  storable,
  z.refine((v) => parseEditPadding(v) !== undefined, {
    message: 'Padding is one to four values, each a percentage ("10%") or pixels ("30px"), e.g. "5% 25%"',
  }),
  z.refine((v) => {
    const padding = parseEditPadding(v);
    return !padding || percentagesWithinHalf(padding);
  }, "Padding can not be more than half of the width or height"),
);

// ----- operations.resizing ---------------------------------------------------------------------

export const RESIZE_FITS = ["crop", "bounds", "cover", "canvas"] as const;
export const MAX_EDIT_SIDE = 16_384;

/** Pixels, a percentage of the input's side ("200%"), or "auto" (keeps the aspect ratio). */
export const resizeDimension = z.union([
  z.number().int().min(1).max(MAX_EDIT_SIDE),
  z.string().regex(/^(\d+(\.\d+)?|\.\d+)%$/, 'Use pixels, a percentage like "50%", or "auto"'),
  z.literal("auto"),
]);

export const resizingOperation = z
  .looseObject({
    width: resizeDimension.optional(),
    height: resizeDimension.optional(),
    /** Claid's docs name crop (the default), bounds, cover and canvas; other fits go to Claid as they are. */
    fit: z.union([storableString().min(1).max(100), z.record(z.string(), z.unknown())]).optional(),
  })
  .superRefine((resizing, ctx) => {
    if (resizing.width === "auto" && resizing.height === "auto") {
      ctx.addIssue({
        code: "custom",
        path: ["width"],
        message: "width and height can not both be auto",
      });
    }
  });

// ----- operations ------------------------------------------------------------------------------

const claidOnly = z.record(z.string(), z.unknown());

export const editOperations = z.looseObject({
  background: backgroundOperation.optional(),
  padding: paddingOperation.optional(),
  resizing: resizingOperation.optional(),
  restorations: claidOnly.optional(),
  adjustments: claidOnly.optional(),
  privacy: claidOnly.optional(),
});

// ----- output and request ----------------------------------------------------------------------

/** Claid's docs also show `metadata` (dpi, colour space) here: passed on like undescribed operations. */
export const editOutputOptions = z.looseObject({
  format: outputFormat.optional(),
  destination: uriString.optional(),
});
/** Like scene/create's output without an image count: options, or a destination string. */
export const editOutput = z.union([editOutputOptions, uriString]);

const imageEditShape = z.strictObject({
  input: uriString,
  operations: editOperations.optional(),
  output: editOutput.optional(),
});

/** `POST /v1/image/edit`'s body, exactly as given once valid. */
export const imageEditRequest = asGiven(imageEditShape);

const uploadDataShape = z.strictObject({
  operations: editOperations.optional(),
  output: editOutput.optional(),
});

/** The `data` field of `POST /v1/image/edit/upload`: the same JSON without `input`. */
export const uploadData = asGiven(uploadDataShape);

export type ImageEditRequest = z.output<typeof imageEditShape>;
export type EditOperations = z.output<typeof editOperations>;
export type BackgroundOperation = z.output<typeof backgroundOperation>;
export type ResizingOperation = z.output<typeof resizingOperation>;
export type EditOutput = z.output<typeof editOutput>;
export type UploadData = z.output<typeof uploadDataShape>;

/** Scene requests have an `object`, image edits an `input`: the two shapes never overlap. */
export function isImageEditRequest(request: object): request is ImageEditRequest {
  return isEditShaped(request);
}

/** Whether an edit does anything at all: an upload with no operations is only stored. */
export function hasOperations(operations: EditOperations | undefined): boolean {
  if (!operations) return false;
  return Object.entries(operations).some(([name, value]) => {
    if (value === undefined) return false;
    if (name === "background" && isRecord(value)) {
      return Object.entries(value).some(([key, v]) => v !== undefined && !(key === "remove" && v === false));
    }
    return !isRecord(value) || Object.keys(value).length > 0;
  });
}

// ----- answers ---------------------------------------------------------------------------------

/** Claid's answer to an image edit: one output object, not a list as scene/create answers. */
export const imageEditResponse = z.looseObject({
  data: z.looseObject({ input: imageInfo, output: outputImage }),
});
export type ImageEditResponse = z.output<typeof imageEditResponse>;
