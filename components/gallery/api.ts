/** The gallery's server calls, each answer checked against the shared schemas. */
import { z } from "zod";

import { httpErrorDetails, type HttpErrorDetails } from "@/lib/scene/contract";
import { generation, generationPage, type Generation, type GenerationPage } from "@/lib/scene/generation";

export class GalleryRequestError extends Error {
  override name = "GalleryRequestError";
  constructor(
    readonly status: number,
    readonly details: HttpErrorDetails,
  ) {
    super(details.error_message);
  }
}

async function request<T>(schema: z.ZodType<T> | undefined, input: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(input, { ...init, headers: { accept: "application/json", ...init?.headers } });
  } catch {
    throw new GalleryRequestError(0, {
      error_code: "network_error",
      error_type: "general",
      error_message: "Could not reach the server. Check your connection and try again.",
    });
  }
  if (response.status === 204) return undefined as T;
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const details = httpErrorDetails.safeParse(body);
    throw new GalleryRequestError(
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

/** Filters as the URL and the API spell them (all strings; empty means "any"). */
export type GalleryFilters = {
  engine: string;
  status: string;
  aspect: string;
  q: string;
  favorite: boolean;
  from: string;
  to: string;
  mine: boolean;
};

export const NO_FILTERS: GalleryFilters = {
  engine: "",
  status: "",
  aspect: "",
  q: "",
  favorite: false,
  from: "",
  to: "",
  mine: false,
};

export function filtersToParams(filters: GalleryFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ["engine", "status", "aspect", "q", "from", "to"] as const) {
    const value = filters[key].trim();
    if (value) params.set(key, value);
  }
  if (filters.favorite) params.set("favorite", "1");
  if (filters.mine) params.set("mine", "1");
  return params;
}

export function filtersFromParams(params: URLSearchParams): GalleryFilters {
  return {
    engine: params.get("engine") ?? "",
    status: params.get("status") ?? "",
    aspect: params.get("aspect") ?? "",
    q: params.get("q") ?? "",
    favorite: params.get("favorite") === "1",
    from: params.get("from") ?? "",
    to: params.get("to") ?? "",
    mine: params.get("mine") === "1",
  };
}

export const PAGE_SIZE = 48;

export function fetchPage(
  filters: GalleryFilters,
  cursor: string | undefined,
  signal?: AbortSignal,
): Promise<GenerationPage> {
  const params = filtersToParams(filters);
  params.set("limit", String(PAGE_SIZE));
  if (cursor) params.set("cursor", cursor);
  return request(generationPage, `/api/generations?${params}`, signal ? { signal } : undefined);
}

const single = z.object({ generation });

export async function fetchGeneration(id: string): Promise<Generation> {
  return (await request(single, `/api/generations/${encodeURIComponent(id)}`)).generation;
}

export async function saveFavorite(id: string, favorite: boolean): Promise<Generation> {
  const answer = await request(single, `/api/generations/${encodeURIComponent(id)}`, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ favorite }),
  });
  return answer.generation;
}

export function removeGeneration(id: string): Promise<void> {
  return request<void>(undefined, `/api/generations/${encodeURIComponent(id)}`, { method: "DELETE" });
}

export function zipHref(selection: { generations?: readonly string[]; outputs?: readonly string[] }): string {
  const params = new URLSearchParams();
  for (const id of selection.generations ?? []) params.append("generation", id);
  for (const id of selection.outputs ?? []) params.append("output", id);
  return `/api/downloads?${params}`;
}
