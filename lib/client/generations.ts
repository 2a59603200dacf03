/** The generations API from the browser, each answer checked against the shared schemas. */
import { z } from "zod";

import type { SceneCreateRequest } from "@/lib/scene/contract";
import {
  generation,
  generationPage,
  type Engine,
  type Generation,
  type GenerationPage,
} from "@/lib/scene/generation";

import { filtersToParams, type GenerationFilters } from "./generation-filters";
import { request, send } from "./request";

export const PAGE_SIZE = 48;

const single = z.object({ generation });
const href = (id: string) => `/api/generations/${encodeURIComponent(id)}`;

export function fetchGenerationPage(
  filters: GenerationFilters,
  cursor: string | undefined,
  signal?: AbortSignal,
): Promise<GenerationPage> {
  const params = filtersToParams(filters);
  params.set("limit", String(PAGE_SIZE));
  if (cursor) params.set("cursor", cursor);
  return request(`/api/generations?${params}`, generationPage, signal ? { signal } : {});
}

export async function fetchGeneration(id: string, signal?: AbortSignal): Promise<Generation> {
  return (await request(href(id), single, signal ? { signal } : {})).generation;
}

export async function createGeneration(body: SceneCreateRequest, engine: Engine): Promise<Generation> {
  return (await request("/api/generations", single, { json: { request: body, engine } })).generation;
}

export async function saveFavorite(id: string, favorite: boolean): Promise<Generation> {
  return (await request(href(id), single, { method: "PATCH", json: { favorite } })).generation;
}

export function removeGeneration(id: string): Promise<void> {
  return send(href(id), { method: "DELETE" });
}

/** One stream of `generation` events for these generations (see `GET /api/generations/events`). */
export function generationEventsHref(ids: readonly string[]): string {
  return `/api/generations/events?${new URLSearchParams(ids.map((id) => ["id", id]))}`;
}

/** A `generation` event's data, checked like any other answer. */
export function parseGenerationEvent(data: string): Generation {
  return generation.parse(JSON.parse(data));
}

export function zipHref(selection: { generations?: readonly string[]; outputs?: readonly string[] }): string {
  const params = new URLSearchParams();
  for (const id of selection.generations ?? []) params.append("generation", id);
  for (const id of selection.outputs ?? []) params.append("output", id);
  return `/api/downloads?${params}`;
}
