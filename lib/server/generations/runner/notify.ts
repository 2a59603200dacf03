import "server-only";

import { EventEmitter } from "node:events";

import { onSignal, sendSignal } from "../../db/signals";

/**
 * Signals: "a generation changed" and "a job was queued". In this process they are events; on
 * PostgreSQL they also reach the other instances sharing the database (db/signals.ts), so an event
 * stream on one instance follows a generation another instance runs, and an idle worker elsewhere
 * claims a job at once. They only make things sooner: every reader also polls the database, so
 * nothing depends on a signal arriving.
 */
const KEY = Symbol.for("backdrop.generation-events");
type Shared = { emitter: EventEmitter; bridged: boolean };
type WithEmitter = typeof globalThis & { [KEY]?: Shared };
const shared = ((globalThis as WithEmitter)[KEY] ??= {
  emitter: new EventEmitter().setMaxListeners(0),
  bridged: false,
});
const emitter = shared.emitter;

const CHANGED = "generation-changed";
const QUEUED = "generation-queued";

// Once per process, however often Next loads this module: other instances' signals become events here.
if (!shared.bridged) {
  shared.bridged = true;
  onSignal(CHANGED, (id) => {
    emitter.emit(`changed:${id}`);
    emitter.emit("changed", id);
  });
  onSignal(QUEUED, () => emitter.emit("queued"));
}

export function announceChange(generationId: string): void {
  emitter.emit(`changed:${generationId}`);
  emitter.emit("changed", generationId);
  sendSignal(CHANGED, generationId);
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
  sendSignal(QUEUED);
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
