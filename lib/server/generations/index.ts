import "server-only";

import type { SceneCreateRequest } from "@/lib/scene/contract";
import type { Engine, GenerationFilters } from "@/lib/scene/generation";

import type { Principal } from "../auth/authorize";
import type { ApiError } from "../errors";
import { releaseUnsettled } from "../limits/reserve";
import { fileResponse } from "../storage/serve";
import { signedFileLinks } from "../storage/signed-links";
import { recordBatch, reusableFor } from "./batch";
import { checkConsistency } from "./consistency";
import { toImageEditResponse, toSceneCreateResponse } from "./envelope";
import { generationEvents } from "./events";
import { backfillIntegrity } from "./integrity-backfill";
import { generationDeps } from "./records/deps";
import { listGenerations } from "./records/list";
import {
  cancelQueued,
  deleteGeneration,
  findGenerations,
  getGeneration,
  setFavorite,
} from "./records/records";
import { thumbnailFor } from "./records/thumbnails";
import { zipStream, type ZipNaming, type ZipSelection } from "./records/zip";
import { ensureWorker, stopWorker } from "./runner";
import { announceChange, onAnyChange } from "./runner/notify";
import { queueGeneration, type GenerationInput } from "./service";
import { storedOutputs } from "./stored-outputs";
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
  /**
   * Integrity verdicts for stored outputs that have none (`npm run check -- --integrity`), or for every
   * stored output with `again`.
   */
  async checkIntegrity(options: { again?: boolean } = {}) {
    return backfillIntegrity(await generationDeps(), options);
  },

  async queue(input: GenerationInput) {
    const generation = await queueGeneration(await generationDeps(), input);
    await ensureWorker();
    return generation;
  },

  /**
   * Claid's `scene/create`: records the generation, runs it (at once when this process has a free
   * slot) and answers Claid's envelope once it has settled, with signed links under `origin`.
   */
  async createScene(input: SceneInput & { engine: Engine; signal?: AbortSignal; origin: string }) {
    const deps = await generationDeps();
    const { generationId, result } = await generateAndWait(deps, input, await ensureWorker());
    return toSceneCreateResponse(result, signedFileLinks(deps.config, input.origin), { generationId });
  },

  /**
   * Records many generations at once behind interactive work (a campaign's items): one rate-limit
   * step, every claid image reserved together, then one transaction in which `within` writes the
   * caller's rows too. Answers the rows in the order of `items`.
   */
  async recordBatch(input: Omit<Parameters<typeof recordBatch>[1], "principal"> & { principal: Principal }) {
    const rows = await recordBatch(await generationDeps(), input);
    await ensureWorker();
    return rows;
  },

  /** For each request, an earlier succeeded identical one (same engine) whose images can be reused. */
  async reusableFor(requests: readonly SceneCreateRequest[], engine: Engine) {
    return reusableFor((await generationDeps()).db, requests, engine);
  },

  /** Several generations with their outputs, by id. */
  async many(ids: readonly string[]) {
    return findGenerations((await generationDeps()).db, ids);
  },

  /**
   * Ends those of `ids` still queued, as failed with `error`, and gives back what they reserved of
   * the budget; running ones finish (they are paid for). Answers the ids it ended.
   */
  async cancelQueued(ids: readonly string[], error: ApiError): Promise<string[]> {
    const deps = await generationDeps();
    const cancelled = await cancelQueued(deps.db, ids, error);
    await releaseUnsettled(cancelled, deps.config);
    for (const id of cancelled) announceChange(id);
    return cancelled;
  },

  /** Calls `listener` with the id of every generation that changes in this process; answers how to stop. */
  onAnyChange(listener: (generationId: string) => void): () => void {
    return onAnyChange(listener);
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
    const fileLink = signedFileLinks(deps.config, input.origin);
    return { response: toImageEditResponse(result, fileLink, { generationId }), result, generationId };
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

  /**
   * Stored outputs by id with their requests and integrity verdicts (checked now where missing), oldest
   * first: what exports post-process.
   */
  async storedOutputs(ids: readonly string[]) {
    return storedOutputs(await generationDeps(), ids);
  },

  /** A zip of whole generations and single outputs, streamed from storage. */
  async zip(selection: ZipSelection, naming?: ZipNaming) {
    const deps = await generationDeps();
    return zipStream(deps.db, deps.store, selection, naming);
  },

  /** The thumbnail of a stored image as a response, made on first request; undefined when there is none. */
  async thumbnail(key: string): Promise<Response | undefined> {
    const deps = await generationDeps();
    const thumb = await thumbnailFor(deps.db, deps.store, key);
    return thumb && (await fileResponse(thumb.key, {}, deps.config));
  },
};

export { formatReport, type ConsistencyReport } from "./consistency";
export { formatIntegrityReport, type IntegrityReport } from "./integrity-backfill";
export type { StoredOutput } from "./stored-outputs";
export type { BatchRequest } from "./batch";
export type { Reusable } from "./records/reuse";
export type { GenerationRow } from "./records/dto";
export { EVENT_STREAM_HEADERS } from "./watch";
