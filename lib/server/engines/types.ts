import "server-only";

import type { ImageInfo, SceneCreateRequest } from "@/lib/scene/contract";
import type { OutputIntegrity } from "@/lib/scene/integrity";

import type { Config, EngineName } from "../config";
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

export interface SceneEngine {
  readonly name: EngineName;
  createScene(request: SceneCreateRequest, ctx: EngineContext): Promise<EngineResult>;
}
