import "server-only";

import type { ImageInfo, SceneCreateRequest } from "@/lib/scene/contract";
import type { OutputIntegrity } from "@/lib/scene/integrity";
import type { ImageEditRequest } from "@/lib/scene/image-edit";

import type { Config, EngineName } from "../config";
import type { UpstreamPacer } from "../limits/upstream-pace";
import type { Logger } from "../log";
import type { ObjectStore } from "../storage";

export type EngineContext = {
  config: Config;
  storage: ObjectStore;
  log: Logger;
  requestId: string;
  signal?: AbortSignal;
  /**
   * Called once the upstream has produced results and before they are downloaded, so that what it
   * records outlives a crash during the download: the results are paid for and their URLs live a day.
   */
  /** Paces upstream calls; absent, calls go out at once. */
  pacer?: UpstreamPacer;
  /**
   * Called just before the scene request is handed to the upstream (after pacing), so the record
   * knows the upstream may have it; a rejection stops the call (the generation is no longer ours).
   */
  beforeUpstreamCall?: () => Promise<void>;
  keepUpstreamResults?: (
    outputs: EngineOutput[],
    answer: { input: ImageInfo; upstreamRequestId?: string | undefined },
  ) => Promise<void>;
};

/** One output image. `key` is set once its bytes are in our storage. */
export type EngineOutput = {
  info: ImageInfo;
  key?: string;
  size?: number;
  /** Where the upstream keeps it for a while (claid engine), and until when. */
  upstreamUrl?: string;
  upstreamExpiresAt?: Date;
  /** Written to a `storage://` destination instead of our storage (tmp_url is then empty). */
  destination?: string;
  /** The product-integrity verdict, added by the generation wing once the output is stored and checked. */
  integrity?: OutputIntegrity;
};

export type EngineResult = {
  input: ImageInfo;
  outputs: EngineOutput[];
  upstreamRequestId?: string;
  timings: Record<string, number>;
};

/**
 * What an engine is asked to do: a scene, or an image edit. An edit carries its body as the client
 * sent it (`requestText`, JSON with the fields in their order), for an engine that forwards it.
 */
export type EngineJob =
  | { kind: "scene"; request: SceneCreateRequest }
  | { kind: "image_edit"; request: ImageEditRequest; requestText?: string };

export type ImageEditJob = Extract<EngineJob, { kind: "image_edit" }>;
export type { UpstreamPacer };

export interface SceneEngine {
  readonly name: EngineName;
  /**
   * The refusals this engine makes from the request alone (422s), run before anything is spent or
   * recorded, so a body it would refuse takes nothing from the person's rate limit or budget.
   */
  checkRequest?(request: SceneCreateRequest, config: Config): void;
  createScene(request: SceneCreateRequest, ctx: EngineContext): Promise<EngineResult>;
  /** Like `checkRequest`, for an image edit: what this engine refuses from the edit's body alone. */
  checkEdit?(request: ImageEditRequest, config: Config): void;
  /** `POST /v1/image/edit`: one output image. */
  editImage(job: ImageEditJob, ctx: EngineContext): Promise<EngineResult>;
}
