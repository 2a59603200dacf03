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
  emitter.emit("changed", generationId);
}

/** Every change of any generation: for a view of many at once (a campaign's items). */
export function onAnyChange(listener: (generationId: string) => void): () => void {
  emitter.on("changed", listener);
  return () => emitter.off("changed", listener);
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
