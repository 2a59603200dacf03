import "server-only";

import type { SceneCreateRequest } from "@/lib/scene/contract";
import { isEngineName } from "@/lib/scene/vocabulary";

import type { Config, EngineName } from "../config";
import { engineAvailability, getConfig } from "../config";
import { errors } from "../errors";
import type { Logger } from "../log";
import { storeFor, type ObjectStore } from "../storage";
import type { EngineContext, EngineResult, ImageEditJob, SceneEngine } from "./types";

/** `?engine=` wins over the `X-Backdrop-Engine` header; otherwise the configured default. */
export function requestedEngine(request: Request, config: Config = getConfig()): EngineName {
  const asked = new URL(request.url).searchParams.get("engine") ?? request.headers.get("x-backdrop-engine");
  if (asked === null || asked === "") return config.DEFAULT_ENGINE;
  if (!isEngineName(asked)) {
    throw errors.unknownEngine(asked);
  }
  return asked;
}

/** Engines load lazily so a server without a key never touches the claid code path. */
export async function engineFor(name: EngineName, config: Config): Promise<SceneEngine> {
  if (!engineAvailability(config)[name]) {
    throw errors.engineUnavailable(name);
  }
  if (name === "claid") return (await import("./claid")).claidEngine;
  return (await import("./local")).localEngine;
}

/** A scene (the kind when none is named) or an image edit. */
type RunSceneJob = { kind?: "scene"; request: SceneCreateRequest } | ImageEditJob;

export type RunSceneInput = RunSceneJob & {
  engine: EngineName;
  config: Config;
  log: Logger;
  requestId: string;
  signal?: AbortSignal;
  /** Where results are written; generation jobs pass a store that records each write first. */
  storage?: ObjectStore;
  /** See EngineContext: generation jobs record paid upstream results before downloading them. */
  keepUpstreamResults?: EngineContext["keepUpstreamResults"];
  pacer?: EngineContext["pacer"];
  beforeUpstreamCall?: EngineContext["beforeUpstreamCall"];
};

export type RunScene = (input: RunSceneInput) => Promise<EngineResult>;

/**
 * Runs one generation (a scene/create request, or an image edit) on an engine; the result's files are
 * in storage when it returns.
 */
export const runScene: RunScene = async (input) => {
  const engine = await engineFor(input.engine, input.config);
  const ctx: EngineContext = {
    config: input.config,
    storage: input.storage ?? storeFor(input.config),
    log: input.log.child({ engine: input.engine }),
    requestId: input.requestId,
    ...(input.signal ? { signal: input.signal } : {}),
    ...(input.keepUpstreamResults ? { keepUpstreamResults: input.keepUpstreamResults } : {}),
    ...(input.pacer ? { pacer: input.pacer } : {}),
    ...(input.beforeUpstreamCall ? { beforeUpstreamCall: input.beforeUpstreamCall } : {}),
  };
  if (input.kind === "image_edit") {
    const { request, requestText } = input;
    return engine.editImage({ kind: "image_edit", request, ...(requestText ? { requestText } : {}) }, ctx);
  }
  return engine.createScene(input.request, ctx);
};
