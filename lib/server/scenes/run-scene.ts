import "server-only";

import type { SceneCreateRequest } from "@/lib/scene/contract";

import type { Config, EngineName } from "../config";
import { engineFor } from "../engines";
import type { EngineContext, EngineResult } from "../engines/types";
import type { Logger } from "../log";
import { objectStoreFor, type ObjectStore } from "../storage";

export type RunSceneInput = {
  request: SceneCreateRequest;
  engine: EngineName;
  config: Config;
  log: Logger;
  requestId: string;
  signal?: AbortSignal;
  /** Where results are written; generation jobs pass a store that records each write first. */
  storage?: ObjectStore;
  /** See EngineContext: generation jobs record paid upstream results before downloading them. */
  keepUpstreamResults?: EngineContext["keepUpstreamResults"];
};

export type RunScene = (input: RunSceneInput) => Promise<EngineResult>;

/** Runs one scene/create request on an engine; the result's files are in storage when it returns. */
export const runScene: RunScene = async (input) => {
  const engine = await engineFor(input.engine, input.config);
  return engine.createScene(input.request, {
    config: input.config,
    storage: input.storage ?? objectStoreFor(input.config.DATA_DIR),
    log: input.log.child({ engine: input.engine }),
    requestId: input.requestId,
    ...(input.signal ? { signal: input.signal } : {}),
    ...(input.keepUpstreamResults ? { keepUpstreamResults: input.keepUpstreamResults } : {}),
  });
};
