import "server-only";

import type { ImageInfo, SceneCreateRequest } from "@/lib/scene/contract";

import type { Config, EngineName } from "../config";
import type { Logger } from "../log";
import type { ObjectStore } from "../storage";

/**
 * Paces the calls to an upstream that every instance sharing the database makes together, to the
 * upstream's limits (see `limits/upstream-pace.ts`).
 */
export interface UpstreamPacer {
  /**
   * Waits until one more call may be made; rejects when `signal` aborts. Call `sending` on what it
   * answers just before the request goes out: later decisions count the call from then.
   */
  acquire(signal?: AbortSignal): Promise<{ sending(): void }>;
  /** What the upstream answered about its limits (`RateLimit-*`, a 429), to slow down further. */
  observe(answer: { status: number; headers: Record<string, string | undefined> }): Promise<void>;
}

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
