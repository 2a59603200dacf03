import "server-only";

import { EventEmitter } from "node:events";

/**
 * In-process signals: "a generation changed" and "a job was queued". They only make things faster;
 * other instances find the same changes by polling the database, so nothing depends on them.
 */
const KEY = Symbol.for("backdrop.generation-events");
type WithEmitter = typeof globalThis & { [KEY]?: EventEmitter };
const emitter = ((globalThis as WithEmitter)[KEY] ??= new EventEmitter().setMaxListeners(0));

export function announceChange(generationId: string): void {
  emitter.emit(`changed:${generationId}`);
}

export function onChange(generationId: string, listener: () => void): () => void {
  emitter.on(`changed:${generationId}`, listener);
  return () => emitter.off(`changed:${generationId}`, listener);
}

export function announceQueued(): void {
  emitter.emit("queued");
}

export function onQueued(listener: () => void): () => void {
  emitter.on("queued", listener);
  return () => emitter.off("queued", listener);
}

/**
 * A generation this process ran has settled, as its run recorded it: a caller waiting in this process
 * takes the answer from here instead of reading the record back.
 */
export function announceSettled(generationId: string, settlement: unknown): void {
  emitter.emit(`settled:${generationId}`, settlement);
}

export function onSettled(generationId: string, listener: (settlement: unknown) => void): () => void {
  emitter.on(`settled:${generationId}`, listener);
  return () => emitter.off(`settled:${generationId}`, listener);
}
