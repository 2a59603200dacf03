import sharp from "sharp";

import { sceneCreateRequest } from "@/lib/scene/contract";
import type { Config } from "@/lib/server/config";
import { localEngine } from "@/lib/server/engines/local";
import type { EngineResult } from "@/lib/server/engines/types";
import { intakeImage } from "@/lib/server/images/intake";
import { createLogger } from "@/lib/server/log";
import { objectStoreFor } from "@/lib/server/storage";

export function storageOf(config: Config) {
  return objectStoreFor(config.DATA_DIR);
}

export async function storeImage(config: Config, bytes: Buffer) {
  return intakeImage(bytes, { store: storageOf(config) });
}

/** Runs the engine on a body (validated by the contract first, as the route does). */
export async function render(config: Config, body: unknown): Promise<EngineResult> {
  const request = sceneCreateRequest.parse(body);
  return localEngine.createScene(request, {
    config,
    storage: storageOf(config),
    log: createLogger({ test: true }),
    requestId: "test",
  });
}

export async function outputBytes(config: Config, result: EngineResult, index = 0): Promise<Buffer> {
  const key = result.outputs[index]?.key;
  if (!key) throw new Error(`output ${index} has no key`);
  const bytes = await storageOf(config).get(key);
  if (!bytes) throw new Error(`output ${key} is not stored`);
  return bytes;
}

export async function decoded(bytes: Buffer) {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  return { pixels: data, width: info.width, height: info.height, channels: info.channels };
}
