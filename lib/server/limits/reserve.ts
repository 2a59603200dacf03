import "server-only";

import type { Principal } from "../auth/authorize";
import { getConfig, type Config, type EngineName } from "../config";
import { getDatabase } from "../db/client";
import {
  commitImages,
  markImagesUnknown,
  releaseImages,
  reserveImages,
  reserveImagesForMany,
} from "./budget";
import { consumeRateLimit } from "./rate-limit";

export type GenerationReservation = {
  /** The images were produced: the reservation stays spent. */
  commit(): Promise<void>;
  /** The call failed: the images go back to today's budget. */
  release(): Promise<void>;
};

const FREE: GenerationReservation = {
  commit: async () => undefined,
  release: async () => undefined,
};

/**
 * Call before any engine work: takes one from the person's per-minute rate limit for `engine` (429 when
 * spent) and, for claid, reserves `images` of their daily budget (402 when it would go over). Drafts on
 * the local engine cost nothing and only count against their own, higher rate limit. With the id of
 * the generation it pays for, whoever runs that generation can settle the reservation.
 */
export async function reserveGeneration(
  principal: Principal,
  engine: EngineName,
  images: number,
  config: Config = getConfig(),
  generationId?: string,
): Promise<GenerationReservation> {
  await consumeRateLimit(principal.userId, engine, config);
  if (engine !== "claid") return FREE;
  const { db } = await getDatabase(config);
  const { id } = await reserveImages(db, {
    userId: principal.userId,
    engine,
    images,
    defaultLimit: config.DAILY_CLAID_IMAGE_BUDGET,
    ...(generationId ? { generationId } : {}),
  });
  return {
    commit: () => commitImages(db, { id }),
    release: () => releaseImages(db, { id }),
  };
}

/**
 * Settles what a finished generation reserved: spent when it succeeded, given back when it failed
 * before producing anything, kept counted when nobody knows (the call failed after it was delivered).
 * A generation without a reservation (drafts) is left as it is.
 */
export async function settleGenerationReservation(
  generationId: string,
  outcome: "succeeded" | "failed" | "unknown",
  config: Config = getConfig(),
): Promise<void> {
  const { db } = await getDatabase(config);
  if (outcome === "succeeded") await commitImages(db, { generationId });
  else if (outcome === "unknown") await markImagesUnknown(db, { generationId });
  else await releaseImages(db, { generationId });
}

/**
 * A batch's reservation (a campaign): one from the person's per-minute rate limit for the whole
 * batch, then every claid image of it reserved at once (402 before anything is recorded when the
 * total would go over today's budget). `release` gives back what has not been settled yet.
 */
export async function reserveBatch(
  principal: Principal,
  engine: EngineName,
  entries: readonly { generationId: string; images: number }[],
  config: Config = getConfig(),
): Promise<{ release(): Promise<void> }> {
  await consumeRateLimit(principal.userId, engine, config);
  if (engine !== "claid" || entries.length === 0) return { release: async () => undefined };
  const { db } = await getDatabase(config);
  await reserveImagesForMany(db, {
    userId: principal.userId,
    engine,
    entries,
    defaultLimit: config.DAILY_CLAID_IMAGE_BUDGET,
  });
  const ids = entries.map((e) => e.generationId);
  return { release: () => releaseImages(db, { generationIds: ids }) };
}

/** Gives back what the generations of `ids` reserved and nobody settled (cancelled before they ran). */
export async function releaseUnsettled(ids: readonly string[], config: Config = getConfig()): Promise<void> {
  const { db } = await getDatabase(config);
  await releaseImages(db, { generationIds: ids });
}
