import "server-only";

import type { z } from "zod";

import type { ErrorType, HttpErrorDetails } from "@/lib/scene/contract";

import { ApiError, fieldErrors } from "./api-error";
import { megabytes, megapixels, seconds } from "./plain";

/**
 * Every error code Backdrop itself answers with, and the status and type it always has. Codes the
 * upstream answers with are relayed as they came (`relayed`), never through this table.
 */
const CODES = {
  bad_json: [400, "validation"],
  bad_multipart: [422, "validation"],
  file_missing: [422, "validation"],
  unsupported_media_type: [415, "validation"],
  payload_too_large: [413, "validation"],
  validation_error: [422, "validation"],
  unauthenticated: [401, "auth"],
  forbidden: [403, "auth"],
  link_invalid: [403, "auth"],
  link_expired: [403, "auth"],
  not_found: [404, "general"],
  unknown_host: [421, "general"],
  method_not_allowed: [405, "general"],
  email_taken: [409, "validation"],
  already_set_up: [409, "general"],
  last_admin: [409, "general"],
  daily_budget_exceeded: [402, "billing"],
  rate_limited: [429, "general"],
  cancelled: [499, "general"],
  internal_error: [500, "general"],
  upstream_unavailable: [502, "general"],
  server_stopping: [503, "general"],
  server_busy: [503, "general"],
  storage_unavailable: [503, "storage"],
  generation_not_finished: [503, "general"],
  generation_interrupted: [503, "general"],
  upstream_timeout: [504, "general"],
  unknown_engine: [422, "validation"],
  engine_unavailable: [422, "runtime_settings"],
  generation_not_settled: [422, "validation"],
  invalid_cursor: [422, "validation"],
  invalid_color: [422, "validation"],
  padding_too_large: [422, "validation"],
  transparent_needs_alpha_format: [422, "validation"],
  unsupported_operation: [422, "validation"],
  background_not_removable: [422, "image"],
  url_not_allowed: [422, "validation"],
  url_unreachable: [422, "validation"],
  url_too_large: [422, "validation"],
  url_timeout: [422, "validation"],
  url_too_many_redirects: [422, "validation"],
  url_not_image: [422, "validation"],
  unsupported_image_url: [422, "validation"],
  unsupported_image_type: [415, "image"],
  unsupported_image: [422, "image"],
  image_too_large: [413, "image"],
  image_too_many_pixels: [413, "image"],
  image_unreadable: [422, "image"],
  image_not_found: [422, "image"],
  unsupported_destination: [422, "storage"],
  unknown_storage: [422, "storage"],
  invalid_storage_path: [422, "storage"],
  export_too_large: [422, "validation"],
  campaign_too_large: [422, "validation"],
  campaign_item_invalid: [422, "validation"],
  preset_name_taken: [409, "validation"],
  campaign_changed: [409, "general"],
} as const satisfies Record<string, readonly [number, ErrorType]>;

export type ErrorCode = keyof typeof CODES;
/** The codes a 422 about one field may carry. */
type FieldCode = { [C in ErrorCode]: (typeof CODES)[C][0] extends 422 ? C : never }[ErrorCode];

type Details = Record<string, unknown>;

/** Our error for `code`, with the status and type the table gives it. */
export function apiError(
  code: ErrorCode,
  message: string,
  details: Details = {},
  headers: Record<string, string> = {},
): ApiError {
  const [status, type] = CODES[code];
  return new ApiError(status, code, type, message, details, headers);
}

/**
 * An error answered by someone else (the upstream, or a generation's stored failure), relayed with its
 * own status, code and message; `details` replaces its details when given.
 */
export function relayed(
  status: number,
  body: HttpErrorDetails,
  details: Details = body.error_details ?? {},
  headers: Record<string, string> = {},
): ApiError {
  return new ApiError(status, body.error_code, body.error_type, body.error_message, details, headers);
}

export function statusOf(code: ErrorCode): number {
  return CODES[code][0];
}

/** The `RateLimit-*` header set Claid documents, plus `Retry-After` for generic HTTP clients. */
export type RateLimitState = { limit: number; remaining: number; resetSeconds: number };
export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    "RateLimit-Limit": String(state.limit),
    "RateLimit-Remaining": String(Math.max(0, state.remaining)),
    "RateLimit-Reset": String(state.resetSeconds),
  };
}

const field = (name: string, message: string): Details => ({ fields: { [name]: [message] } });

/** "GET", "GET or POST", "GET, HEAD or OPTIONS". */
function plainList(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? "nothing") : `${words.slice(0, -1).join(", ")} or ${words.at(-1)}`;
}

/** One factory per situation: call sites say what happened, this module says how it is answered. */
export const errors = {
  // The request itself
  badJson: (reason: string) => apiError("bad_json", `The body is not valid JSON: ${reason}`),
  unsupportedMediaType: (expected: string) =>
    apiError("unsupported_media_type", `Send the body as ${expected}`),
  tooLarge: (limitBytes: number, headers: Record<string, string> = {}) =>
    apiError(
      "payload_too_large",
      `The body is larger than ${megabytes(limitBytes)}`,
      { limit_bytes: limitBytes },
      headers,
    ),
  validation: (issues: readonly z.core.$ZodIssue[], message = "Some fields are not valid") =>
    apiError("validation_error", message, { fields: fieldErrors(issues) }),
  /** A 422 about one field; `code` says which rule it broke. */
  invalid: (name: string, message: string, code: FieldCode = "validation_error", details: Details = {}) =>
    apiError(code, message, { ...details, ...field(name, message) }),
  badMultipart: () =>
    apiError("bad_multipart", "The upload could not be read: send it as multipart/form-data", {
      ...field("file", "Not readable multipart/form-data"),
    }),
  fileMissing: () =>
    apiError("file_missing", 'Attach the image as the form field "file"', {
      ...field("file", 'Send the image as the multipart field "file"'),
    }),
  notFound: (what: string) => apiError("not_found", `${what} was not found`),
  notFoundPath: (path: string) =>
    apiError("not_found", `There is nothing at ${path.slice(0, 200)}`, { path: path.slice(0, 200) }),
  methodNotAllowed: (method: string, allowed: readonly string[]) =>
    apiError(
      "method_not_allowed",
      `This address does not take ${method.slice(0, 20)}: use ${plainList(allowed)}`,
      { method: method.slice(0, 20), allowed },
      { allow: allowed.join(", ") },
    ),
  invalidCursor: () =>
    apiError("invalid_cursor", "This page link is not valid any more: start from the first page", {
      ...field("cursor", "Not a cursor this server handed out"),
    }),

  unknownHost: (host: string, origins: readonly string[]) =>
    apiError(
      "unknown_host",
      `This server does not answer to "${host.slice(0, 100)}". Open it at ${origins[0] ?? "its own address"}, or set PUBLIC_BASE_URL to the address people use.`,
      { host: host.slice(0, 100), origins },
    ),

  // Who is asking
  unauthenticated: () => apiError("unauthenticated", "Sign in, or send a valid bearer token"),
  forbidden: (message = "You do not have permission to do this") => apiError("forbidden", message),
  linkInvalid: () =>
    apiError(
      "link_invalid",
      "This link is not valid: it was changed or cut short. Ask for the image's link again, or sign in",
    ),
  linkExpired: (expiredAt: Date) =>
    apiError(
      "link_expired",
      `This link expired on ${expiredAt.toISOString().slice(0, 16).replace("T", " ")} UTC. Ask for a new one, or sign in`,
      { expired_at: expiredAt.toISOString() },
    ),
  emailTaken: () =>
    apiError(
      "email_taken",
      "Someone with this email already has an account",
      field("email", "Already in use"),
    ),
  setupCodeNeeded: (given: boolean) =>
    apiError(
      "forbidden",
      given
        ? "That is not the setup code the server printed when it last started"
        : "Enter the setup code the server printed when it started",
      field(
        "setupCode",
        given ? "Not the current setup code" : "Needed on a server reachable from other machines",
      ),
    ),
  alreadySetUp: () => apiError("already_set_up", "This install already has an admin: sign in instead"),
  lastAdmin: () => apiError("last_admin", "This is the only admin: make someone else admin first"),

  // Limits
  rateLimited: (engine: string, state: RateLimitState) =>
    apiError(
      "rate_limited",
      `Too many ${engine} generations: at most ${state.limit} a minute. Try again in ${state.resetSeconds} s`,
      { engine, limit_per_minute: state.limit, retry_after_seconds: state.resetSeconds },
      { ...rateLimitHeaders(state), "Retry-After": String(state.resetSeconds) },
    ),
  budgetSpent: (input: { limit: number; used: number; requested: number; resetsAt: Date }) =>
    apiError(
      "daily_budget_exceeded",
      input.limit === 0
        ? "You have no daily budget for Claid images: ask an admin, or make drafts with the local engine"
        : `This would take your Claid images today to ${input.used + input.requested}, over your daily budget of ${input.limit}. Make drafts with the local engine, or ask an admin`,
      {
        limit: input.limit,
        used: input.used,
        requested: input.requested,
        resets_at: input.resetsAt.toISOString(),
      },
    ),

  // Engines and generations
  unknownEngine: (asked: string) =>
    apiError(
      "unknown_engine",
      `There is no engine called "${asked.slice(0, 40)}": use local or claid`,
      field("engine", "Use local or claid"),
    ),
  engineUnavailable: (engine: string) =>
    apiError(
      "engine_unavailable",
      engine === "claid"
        ? "The Claid engine is not set up on this server (it has no Claid API key)"
        : `The ${engine} engine is not set up on this server`,
      field("engine", "Not set up on this server"),
    ),
  /** Fields of an image edit the local engine does not implement, each named, never ignored. */
  unsupportedOnLocal: (fields: readonly string[]) =>
    apiError(
      "unsupported_operation",
      `The local engine does not do ${fields.join(", ")}. Run this edit with Claid (?engine=claid), or leave ${fields.length === 1 ? "it" : "them"} out.`,
      {
        engine: "local",
        alternative_engine: "claid",
        fields: Object.fromEntries(fields.map((f) => [f, ["Not done by the local engine: use Claid"]])),
      },
    ),
  /** The local cutout's refusal (a busy background, or no product to find), in its own words. */
  backgroundNotRemovable: (reason: string, kind: "busy" | "empty") =>
    apiError(
      "background_not_removable",
      kind === "busy"
        ? `${reason} The free local cutout handles only plain backgrounds (white, grey or one colour): remove this one with Claid instead.`
        : `${reason} Check that the product is in the picture, or remove the background with Claid instead.`,
      {
        reason: kind,
        engine: "local",
        alternative_engine: "claid",
        ...field("operations.background.remove", reason),
      },
    ),
  generationNotSettled: () =>
    apiError(
      "generation_not_settled",
      "Wait until the generation has finished before deleting it",
      field("status", "Still queued or running"),
    ),
  generationNotFinished: (generationId: string) =>
    apiError("generation_not_finished", "The generation did not finish", { generation_id: generationId }),
  /**
   * A scene/create call that failed after the request was delivered (a time-out, a dropped
   * connection, an answer we could not read): Claid may have made and charged the images anyway.
   */
  possiblyCharged: (error: ApiError) =>
    new ApiError(
      error.status,
      error.code,
      error.type,
      `${error.message.replace(/\.$/, "")}. Claid may have made and charged the images anyway, so they count against today's budget.`,
      { ...error.details, charged: "unknown" },
      error.headers,
    ),
  cancelled: (message: string, details: Details = {}) => apiError("cancelled", message, details),
  serverBusy: (retryAfterSeconds: number, inProgress: number) =>
    apiError(
      "server_busy",
      `The server is busy with other images. Try again in ${retryAfterSeconds} seconds.`,
      { retry_after_seconds: retryAfterSeconds, images_in_progress: inProgress },
      { "retry-after": String(retryAfterSeconds) },
    ),
  uploadsRateLimited: (state: RateLimitState) =>
    apiError(
      "rate_limited",
      `Too many uploads and imports: at most ${state.limit} a minute. Try again in ${state.resetSeconds} s`,
      { limit_per_minute: state.limit, retry_after_seconds: state.resetSeconds },
      { ...rateLimitHeaders(state), "Retry-After": String(state.resetSeconds) },
    ),
  serverStopping: () =>
    apiError(
      "server_stopping",
      "The server is restarting. Try again in a moment.",
      {},
      { "retry-after": "5" },
    ),
  /** The bucket files are kept in did not answer, or refused us (a network fault, wrong credentials). */
  storageUnavailable: (operation: string) =>
    apiError(
      "storage_unavailable",
      "The file storage is not answering. Try again in a moment.",
      { operation },
      { "retry-after": "5" },
    ),
  internal: (requestId?: string) =>
    apiError(
      "internal_error",
      "Something went wrong on our side",
      requestId ? { request_id: requestId } : {},
    ),

  // Exports
  unknownOutputs: (ids: readonly string[]) =>
    apiError(
      "not_found",
      ids.length === 1
        ? `The image ${ids[0]} is not stored here (deleted, or never stored): choose another`
        : `${ids.length} of the chosen images are not stored here (deleted, or never stored): choose others`,
      {
        output_ids: ids.slice(0, 20),
        ...field("outputs", "Not an image stored here"),
      },
    ),
  nothingApprovedToExport: () =>
    apiError(
      "not_found",
      "No image of this campaign is approved yet: approve some on the campaign's page, then export",
      field("campaign", "Nothing approved yet"),
    ),
  exportTooLarge: (files: number, max: number) =>
    apiError(
      "export_too_large",
      `This export would make ${files} files; make at most ${max} at once (fewer images or presets)`,
      { files, max_files: max, ...field("presets", `At most ${max} files in one export`) },
    ),

  // The upstream
  upstreamUnavailable: (message: string, details: Details = {}) =>
    apiError("upstream_unavailable", message, details),
  upstreamTimeout: (message: string, details: Details = {}) => apiError("upstream_timeout", message, details),
  upstreamRejected: (fields: Record<string, string[]>, details: Details = {}) =>
    apiError("validation_error", "Claid did not accept the request", { fields, ...details }),

  // Images and URLs
  urlNotAllowed: (reason: string) =>
    apiError("url_not_allowed", `This URL may not be fetched: ${reason}`, field("url", reason)),
  urlUnreachable: (reason: string, status?: number) =>
    apiError("url_unreachable", `The URL could not be fetched: ${reason}`, status ? { status } : {}),
  urlTooLarge: (limitBytes: number) =>
    apiError("url_too_large", `The file at this URL is larger than ${megabytes(limitBytes)}`, {
      limit_bytes: limitBytes,
    }),
  urlTimeout: (ms: number) =>
    apiError("url_timeout", `The URL did not answer within ${seconds(ms)}`, { timeout_ms: ms }),
  urlTooManyRedirects: (max: number) =>
    apiError("url_too_many_redirects", `The URL redirected more than ${max} times`),
  urlNotImage: (reason: string, details: Details = {}) =>
    apiError("url_not_image", `The URL does not point to an image we accept: ${reason}`, {
      ...details,
      ...field("url", reason),
    }),
  unsupportedImageUrl: () =>
    apiError(
      "unsupported_image_url",
      "Image URLs must be http(s), storage://NAME/path or an uploaded image (backdrop://files/…)",
    ),
  unsupportedImageType: (found: string, accepted: readonly string[]) =>
    apiError(
      "unsupported_image_type",
      `Only PNG, JPEG, WebP, AVIF, TIFF and GIF images are accepted (this file is ${found})`,
      { accepted, found },
    ),
  unsupportedImage: (message: string, details: Details = {}) =>
    apiError("unsupported_image", message, details),
  imageTooLarge: (limitBytes: number) =>
    apiError("image_too_large", `The image is larger than ${megabytes(limitBytes)}`, {
      limit_bytes: limitBytes,
    }),
  imageTooManyPixels: (width: number, height: number, limit: number) =>
    apiError(
      "image_too_many_pixels",
      `The image is ${width} × ${height} pixels; at most ${megapixels(limit)} are accepted`,
      { width, height, limit_pixels: limit },
    ),
  imageUnreadable: (reason: string) => apiError("image_unreadable", `The image could not be read: ${reason}`),
  imageNotFound: (message: string, details: Details = {}) => apiError("image_not_found", message, details),

  // Campaigns, reviews, presets
  campaignTooLarge: (items: number, max: number) =>
    apiError(
      "campaign_too_large",
      `A campaign can have at most ${max} items; this one would have ${items}. Take out some products, scenes or ratios`,
      { items, max_items: max, ...field("axes", `${items} items; at most ${max}`) },
    ),
  /**
   * Items that are not valid requests, each with its fields under `items.<position>.`: the first is
   * named in the message, the others are counted.
   */
  campaignItemsInvalid: (
    invalid: readonly { position: number; name: string; fields: Record<string, string[]> }[],
    count: number,
    total: number,
  ) => {
    const first = invalid[0];
    const [path, messages] = Object.entries(first?.fields ?? {})[0] ?? ["body", ["Not valid"]];
    const more = count > 1 ? ` (${count} of the ${total} items are not valid)` : "";
    const fields: Record<string, string[]> = {};
    for (const item of invalid)
      for (const [name, list] of Object.entries(item.fields)) fields[`items.${item.position}.${name}`] = list;
    return apiError(
      "campaign_item_invalid",
      `Item ${(first?.position ?? 0) + 1} (${first?.name ?? "?"}) is not a valid request: ${path}: ${messages[0] ?? "not valid"}${more}. Nothing was created`,
      {
        fields,
        invalid_items: count,
        items: invalid.map((i) => ({ position: i.position, name: i.name, fields: i.fields })),
      },
    );
  },
  campaignChanged: () =>
    apiError("campaign_changed", "The campaign changed meanwhile (another retry?): look again and retry"),
  nothingApproved: (verdict: string) =>
    apiError("not_found", `No output of this campaign is ${verdict} yet`, { verdict }),
  presetNameTaken: (name: string) =>
    apiError(
      "preset_name_taken",
      `There is already a preset called "${name.slice(0, 80)}": choose another name, or delete that one first`,
      field("name", "Already in use"),
    ),

  // Storage destinations
  unsupportedDestination: (name: string) =>
    apiError("unsupported_destination", "Destinations must be storage://NAME/path/", {
      ...field(name, "Only storage://NAME/path/ destinations are supported"),
    }),
  unknownStorage: (name: string, storage: string, known: readonly string[]) =>
    apiError("unknown_storage", `No storage named "${storage.slice(0, 60)}" is set up`, {
      ...field(name, `Unknown storage "${storage.slice(0, 60)}"`),
      known_storages: known,
    }),
};
