/** What the forms show when a request fails: the server's message and its per-field messages. */
export class RequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly fields: Record<string, string[]> = {},
  ) {
    super(message);
  }
}

type ErrorBody = {
  error_message?: string;
  message?: string;
  error_details?: { fields?: Record<string, string[]> };
};

/** JSON in, JSON out, same-origin (so the session cookie and `Origin` go with it). */
export async function sendJson<T>(url: string, method: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    credentials: "same-origin",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const data = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const error = (data ?? {}) as ErrorBody;
    throw new RequestError(
      error.error_message ?? error.message ?? `The request failed (${response.status})`,
      response.status,
      error.error_details?.fields ?? {},
    );
  }
  return data as T;
}

export function firstFieldError(error: unknown, field: string): string | undefined {
  return error instanceof RequestError ? error.fields[field]?.[0] : undefined;
}
