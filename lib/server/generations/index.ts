import "server-only";

import type { Engine, GenerationFilters } from "@/lib/scene/generation";

import type { Principal } from "../auth/authorize";
import { fileResponse } from "../storage/serve";
import { checkConsistency } from "./consistency";
import { toImageEditResponse, toSceneCreateResponse } from "./envelope";
import { generationEvents } from "./events";
import { generationDeps } from "./records/deps";
import { listGenerations } from "./records/list";
import { deleteGeneration, getGeneration, setFavorite } from "./records/records";
import { thumbnailFor } from "./records/thumbnails";
import { zipStream, type ZipSelection } from "./records/zip";
import { ensureWorker, stopWorker } from "./runner";
import { queueGeneration, type GenerationInput } from "./service";
import { generateAndWait } from "./synchronous";
import { watchGenerations } from "./watch";

type SceneInput = Extract<GenerationInput, { kind?: "scene" }>;
type EditInput = Omit<Extract<GenerationInput, { kind: "image_edit" }>, "kind">;

/**
 * The generation wing's one door. Routes and the start-up hook call these; each resolves the wing's
 * dependencies (database, file store, configuration) and this process's worker itself.
 */
export const generations = {
  /** Start-up: recovers what a stopped process left and starts this process's worker. */
  async start(): Promise<void> {
    await ensureWorker();
  },

  /** Stopping: no new claims, running generations settle; nothing starts another worker afterwards. */
  async stop(): Promise<void> {
    await stopWorker({ forGood: true });
  },

  /** Records against stored files (`npm run check`); `fix` repairs what can be repaired first. */
  async check(options: { fix?: boolean } = {}) {
    const deps = await generationDeps();
    return checkConsistency(deps, { leaseMs: deps.config.GENERATION_LEASE_MS, fix: options.fix ?? false });
  },

  /** Records a generation and queues it; any worker sharing the database runs it. */
  async queue(input: GenerationInput) {
    const generation = await queueGeneration(await generationDeps(), input);
    await ensureWorker();
    return generation;
  },

  /**
   * Claid's `scene/create`: records the generation, runs it (at once when this process has a free
   * slot) and answers Claid's envelope with our URLs under `origin` once it has settled.
   */
  async createScene(input: SceneInput & { engine: Engine; signal?: AbortSignal; origin: string }) {
    const deps = await generationDeps();
    const { generationId, result } = await generateAndWait(deps, input, await ensureWorker());
    return toSceneCreateResponse(result, input.origin, { generationId });
  },

  /**
   * Claid's `image/edit`: recorded and run like a scene (rate limit, budget, the gallery), answered
   * with Claid's envelope and its one output under `origin` once it has settled.
   */
  async editImage(input: EditInput & { engine: Engine; signal?: AbortSignal; origin: string }) {
    const deps = await generationDeps();
    const { generationId, result } = await generateAndWait(
      deps,
      { ...input, kind: "image_edit" },
      await ensureWorker(),
    );
    return { response: toImageEditResponse(result, input.origin, { generationId }), result, generationId };
  },

  async list(filters: GenerationFilters, principal: Principal) {
    return listGenerations((await generationDeps()).db, filters, principal);
  },

  async get(id: string) {
    return getGeneration((await generationDeps()).db, id);
  },

  async setFavorite(id: string, favorite: boolean, principal: Principal) {
    return setFavorite((await generationDeps()).db, id, favorite, principal);
  },

  /** Deletes a settled generation; its files go when nothing else references them. */
  async remove(id: string, principal: Principal): Promise<void> {
    const deps = await generationDeps();
    await deleteGeneration(deps.db, deps.store, id, principal);
  },

  /** Server-sent events of one generation until it settles (404 when there is none). */
  async events(id: string, signal: AbortSignal) {
    const { db } = await generationDeps();
    return generationEvents(db, await getGeneration(db, id), signal);
  },

  /** One event stream for several generations (a page's unsettled work) until all have settled. */
  async watch(ids: readonly string[], signal: AbortSignal) {
    return watchGenerations((await generationDeps()).db, ids, signal);
  },

  /** A zip of whole generations and single outputs, streamed from storage. */
  async zip(selection: ZipSelection) {
    const deps = await generationDeps();
    return zipStream(deps.db, deps.store, selection);
  },

  /** The thumbnail of a stored image as a response, made on first request; undefined when there is none. */
  async thumbnail(key: string): Promise<Response | undefined> {
    const deps = await generationDeps();
    const thumb = await thumbnailFor(deps.db, deps.store, key);
    return thumb && (await fileResponse(thumb.key, {}, deps.config));
  },
};

export { formatReport, type ConsistencyReport } from "./consistency";
export { EVENT_STREAM_HEADERS } from "./watch";
