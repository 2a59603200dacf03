import { randomUUID } from "node:crypto";
import sharp from "sharp";

import type { Config } from "@/lib/server/config";
import type { EngineContext } from "@/lib/server/engines/types";
import { createLogger } from "@/lib/server/log";
import { objectStoreFor } from "@/lib/server/storage";

export function engineContext(config: Config): EngineContext {
  return {
    config,
    storage: objectStoreFor(config.DATA_DIR),
    log: createLogger({ test: true }),
    requestId: randomUUID(),
  };
}

/** Everything written to stdout and stderr while `capture` is active (the logger writes there). */
export function captureOutput() {
  const lines: string[] = [];
  const originals = {
    out: process.stdout.write.bind(process.stdout),
    err: process.stderr.write.bind(process.stderr),
  };
  const tap =
    (original: typeof process.stdout.write) =>
    (chunk: unknown, ...rest: unknown[]): boolean => {
      lines.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
      // Pass through so a failing test still shows its logs.
      return (original as (c: unknown, ...r: unknown[]) => boolean)(chunk, ...rest);
    };
  process.stdout.write = tap(originals.out) as typeof process.stdout.write;
  process.stderr.write = tap(originals.err) as typeof process.stderr.write;
  return {
    lines,
    text: () => lines.join(""),
    restore() {
      process.stdout.write = originals.out;
      process.stderr.write = originals.err;
    },
  };
}

/** A small png with transparency, different for every `seed`. */
export async function productPng(seed: number): Promise<Buffer> {
  return sharp({
    create: {
      width: 24,
      height: 16,
      channels: 4,
      background: { r: seed % 256, g: (seed * 7) % 256, b: 90, alpha: 1 },
    },
  })
    .extend({ top: 4, bottom: 4, left: 4, right: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .png()
    .toBuffer();
}

export const promptBody = {
  object: { image_url: "https://images.example.com/product.png", scale: 0.6, position: { x: 0.4, y: 0.5 } },
  scene: { prompt: "on a marble table", aspect_ratio: "1:1" as const },
  output: { number_of_images: 2, format: "png" as const },
};
