import "server-only";

import sharp from "sharp";

import type { Box } from "@/lib/scene/placement";

import { getConfig } from "../config";
import type { ObjectStore } from "../storage";
import { storeFor } from "../storage";
import { objectBoxOfImage } from "./object-box";
import { imageWorkQueue } from "./work-queue";

export type ImageDescription = {
  key: string;
  width: number;
  height: number;
  format: string;
  hasAlpha: boolean;
  objectBox: Box;
};

/** Keys are content hashes, so a description never goes stale; the cap only bounds memory. */
const MAX_REMEMBERED = 2000;
const remembered = new WeakMap<ObjectStore, Map<string, Promise<ImageDescription | undefined>>>();

function cacheOf(store: ObjectStore) {
  let cache = remembered.get(store);
  if (!cache) {
    cache = new Map();
    remembered.set(store, cache);
  }
  return cache;
}

function remember(store: ObjectStore, key: string, value: Promise<ImageDescription | undefined>) {
  const cache = cacheOf(store);
  if (cache.size >= MAX_REMEMBERED) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(key, value);
}

export function rememberDescription(store: ObjectStore, image: ImageDescription) {
  const { key, width, height, format, hasAlpha, objectBox } = image;
  remember(store, key, Promise.resolve({ key, width, height, format, hasAlpha, objectBox }));
}

async function measure(store: ObjectStore, key: string): Promise<ImageDescription | undefined> {
  const bytes = await store.get(key);
  if (!bytes) return undefined;
  const config = getConfig();
  const metadata = await sharp(bytes).metadata();
  const objectBox = await imageWorkQueue(config).decodeSlot(() =>
    objectBoxOfImage(bytes, config.MAX_IMAGE_PIXELS),
  );
  const swapped = (metadata.orientation ?? 1) >= 5;
  return {
    key,
    width: (swapped ? metadata.height : metadata.width) ?? 0,
    height: (swapped ? metadata.width : metadata.height) ?? 0,
    format: metadata.format ?? "unknown",
    hasAlpha: metadata.hasAlpha === true,
    objectBox,
  };
}

/**
 * Dimensions and object box of an image in our storage (undefined when there is no such key), measured
 * once and remembered, so the canvas and both engines place a product by the same box.
 */
export function describeStoredImage(
  key: string,
  store: ObjectStore = storeFor(getConfig()),
): Promise<ImageDescription | undefined> {
  const cache = cacheOf(store);
  const known = cache.get(key);
  if (known) return known;
  const pending = measure(store, key).catch((error: unknown) => {
    cache.delete(key);
    throw error;
  });
  remember(store, key, pending);
  return pending;
}
