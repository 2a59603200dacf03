/** Calls to our own API from the browser: every failure carries an `HttpErrorDetails` envelope. */
import type { z } from "zod";

import { httpErrorDetails } from "@/lib/scene/contract";

import { ApiFailure } from "./api-failure";

export { ApiFailure };

/** Fetches JSON and checks it against `schema`; 204 answers resolve to undefined. */
export async function requestJson<T>(
  schema: z.ZodType<T> | undefined,
  input: string,
  init?: RequestInit,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(input, { ...init, headers: { accept: "application/json", ...init?.headers } });
  } catch {
    throw new ApiFailure(0, {
      error_code: "network_error",
      error_type: "general",
      error_message: "Could not reach the server. Check your connection and try again.",
    });
  }
  if (response.status === 204) return undefined as T;
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const details = httpErrorDetails.safeParse(body);
    throw new ApiFailure(
      response.status,
      details.success
        ? details.data
        : {
            error_code: `http_${response.status}`,
            error_type: "general",
            error_message: response.statusText || "Request failed",
          },
    );
  }
  return schema ? schema.parse(body) : (body as T);
}
