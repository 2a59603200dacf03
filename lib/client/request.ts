/**
 * The browser's one way to call this server: JSON in, the answer checked with the schema the caller
 * passes (the shared zod schemas), and every failure an `ApiFailure` carrying an `HttpErrorDetails`
 * envelope. It imports no schema itself, so every page (the sign-out button, the sign-in form) can use
 * it without loading the validator before the first paint.
 */
import type { HttpErrorDetails } from "@/lib/scene/contract";

/** What checks an answer: a zod schema, or anything else with a `parse` that throws on a bad value. */
export type Answer<T> = { parse: (value: unknown) => T };

/** A failed call, with the server's (or the upstream's) error envelope. */
export class ApiFailure extends Error {
  override name = "ApiFailure";
  constructor(
    readonly status: number,
    readonly details: HttpErrorDetails,
  ) {
    super(details.error_message);
  }

  get code(): string {
    return this.details.error_code;
  }

  /** The messages the server gave for one field (`error_details.fields`), if any. */
  fieldMessages(field: string): string[] {
    const fields = this.details.error_details?.fields;
    if (!isRecord(fields)) return [];
    const messages = fields[field];
    return Array.isArray(messages) ? messages.filter((m): m is string => typeof m === "string") : [];
  }
}

/** The first message for `field` when `error` is a failed call, for a form to show next to it. */
export function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiFailure ? error.fieldMessages(field)[0] : undefined;
}

/** A person-readable line for any error a call may end with. */
export function failureMessage(error: unknown, fallback: string): string {
  return error instanceof ApiFailure ? error.message : fallback;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The error envelope of a failed answer. Read by hand rather than with the contract's schema (see the
 * module comment); Better Auth's own endpoints answer `{ code, message }` and get an envelope too.
 */
export function envelopeOf(status: number, statusText: string, body: unknown): HttpErrorDetails {
  const type = status === 401 || status === 403 ? "auth" : "general";
  if (isRecord(body) && typeof body.error_code === "string" && typeof body.error_message === "string") {
    const details = isRecord(body.error_details) ? body.error_details : undefined;
    return {
      ...body,
      error_code: body.error_code,
      error_message: body.error_message,
      // The server's own types are the contract's; anything unknown is reported as general.
      error_type: (typeof body.error_type === "string"
        ? body.error_type
        : type) as HttpErrorDetails["error_type"],
      ...(details ? { error_details: details } : {}),
    };
  }
  const message = isRecord(body) && typeof body.message === "string" ? body.message : undefined;
  const code = isRecord(body) && typeof body.code === "string" ? body.code.toLowerCase() : undefined;
  return {
    error_code: code ?? `http_${status}`,
    error_type: type,
    error_message: message ?? (statusText || `The request failed (HTTP ${status})`),
  };
}

export type RequestOptions = {
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Sent as a JSON body. */
  json?: unknown;
  /** Sent as is (a FormData upload). */
  body?: BodyInit;
  signal?: AbortSignal;
};

const NETWORK_FAILURE: HttpErrorDetails = {
  error_code: "network_error",
  error_type: "general",
  error_message: "Could not reach the server. Check your connection and try again.",
};

async function call(url: string, options: RequestOptions): Promise<unknown> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.json !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? (options.json !== undefined || options.body ? "POST" : "GET"),
      headers,
      credentials: "same-origin",
      body: options.json !== undefined ? JSON.stringify(options.json) : options.body,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiFailure(0, NETWORK_FAILURE);
  }
  if (response.status === 204) return undefined;
  const text = await response.text().catch(() => "");
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok)
    throw new ApiFailure(response.status, envelopeOf(response.status, response.statusText, body));
  return body;
}

/** Calls the API and checks the answer with `answer`. */
export async function request<T>(url: string, answer: Answer<T>, options: RequestOptions = {}): Promise<T> {
  return answer.parse(await call(url, options));
}

/** Calls the API for its effect only; whatever it answers on success is ignored. */
export async function send(url: string, options: RequestOptions = {}): Promise<void> {
  await call(url, options);
}
