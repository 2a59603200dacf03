import "server-only";

import type { Principal } from "../auth/authorize";
import { getConfig, type Config, type EngineName } from "../config";
import { getDatabase } from "../db/client";
import { commitImages, dailyLimit, releaseImages, reserveImages } from "./budget";
import { consumeRateLimit } from "./rate-limit";

export type GenerationReservation = {
  /** The images were produced: the reservation stays spent. */
  commit(): Promise<void>;
  /** The call failed: the images go back to today's budget. */
  release(): Promise<void>;
};

const FREE: GenerationReservation = { commit: async () => undefined, release: async () => undefined };

/**
 * Call before any engine work: takes one from the person's per-minute rate limit for `engine` (429 when
 * spent) and, for claid, reserves `images` of their daily budget (402 when it would go over). Drafts on
 * the local engine cost nothing and only count against their own, higher rate limit.
 */
export async function reserveGeneration(
  principal: Principal,
  engine: EngineName,
  images: number,
  config: Config = getConfig(),
): Promise<GenerationReservation> {
  await consumeRateLimit(principal.userId, engine, config);
  if (engine !== "claid") return FREE;
  const { db } = await getDatabase(config);
  const limit = await dailyLimit(db, principal.userId, config);
  const { id } = await reserveImages(db, { userId: principal.userId, engine, images, limit });
  return { commit: () => commitImages(db, id), release: () => releaseImages(db, id) };
}
