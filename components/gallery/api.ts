/** The gallery's server calls, each answer checked against the shared schemas. */
import { z } from "zod";

import { requestJson } from "@/components/ui/api-request";
import { generation, generationPage, type Generation, type GenerationPage } from "@/lib/scene/generation";

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
  return requestJson(generationPage, `/api/generations?${params}`, signal ? { signal } : undefined);
}

const single = z.object({ generation });

export async function fetchGeneration(id: string): Promise<Generation> {
  return (await requestJson(single, `/api/generations/${encodeURIComponent(id)}`)).generation;
}

export async function saveFavorite(id: string, favorite: boolean): Promise<Generation> {
  const answer = await requestJson(single, `/api/generations/${encodeURIComponent(id)}`, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ favorite }),
  });
  return answer.generation;
}

export function removeGeneration(id: string): Promise<void> {
  return requestJson<void>(undefined, `/api/generations/${encodeURIComponent(id)}`, { method: "DELETE" });
}

export function zipHref(selection: { generations?: readonly string[]; outputs?: readonly string[] }): string {
  const params = new URLSearchParams();
  for (const id of selection.generations ?? []) params.append("generation", id);
  for (const id of selection.outputs ?? []) params.append("output", id);
  return `/api/downloads?${params}`;
}
