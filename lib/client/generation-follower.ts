/**
 * Follows generations by server-sent events: one stream for the ids a page is waiting on, reopened
 * only when an id it does not cover joins them, closed when none are left. When the stream drops, the
 * page is told it is no longer live (it polls meanwhile) and the stream is tried again after a pause.
 * No React, no EventSource of its own: `open` makes the stream, so tests can drive it.
 */
import { isFinal, type Generation } from "@/lib/scene/generation";

/** What the follower needs of an `EventSource`. */
export type StreamSource = {
  addEventListener(type: "generation" | "gone", listener: (event: MessageEvent<string>) => void): void;
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
  close(): void;
};

export type FollowerOptions = {
  open: (ids: readonly string[]) => StreamSource;
  /** Reads a `generation` event's data; throws on anything that is not a generation. */
  parse: (data: string) => Generation;
  onGeneration: (generation: Generation) => void;
  /** The server knows no generation with this id (any more). */
  onGone: (id: string) => void;
  /** False from a drop until a stream is open again: the page polls meanwhile. */
  onLiveChange: (live: boolean) => void;
  retryMs: number;
};

/** The server's limit for one stream (`GET /api/generations/events`). */
export const MAX_FOLLOWED = 100;

export class GenerationFollower {
  private source: StreamSource | undefined;
  /** Ids the open stream follows that it has not yet reported settled or gone. */
  private covered = new Set<string>();
  private wanted: string[] = [];
  private retry: ReturnType<typeof setTimeout> | undefined;
  private live = true;

  constructor(private readonly options: FollowerOptions) {}

  /** The generations the page is waiting on now (unsettled ones; the newest first). */
  follow(ids: readonly string[]): void {
    this.wanted = [...new Set(ids)].slice(0, MAX_FOLLOWED);
    if (this.wanted.length === 0) {
      this.stop();
      this.setLive(true);
      return;
    }
    // While waiting to try again, the retry opens a stream for whatever is wanted by then.
    if (this.retry !== undefined) return;
    if (this.source && this.wanted.every((id) => this.covered.has(id))) return;
    this.openStream();
  }

  close(): void {
    this.stop();
  }

  private stop() {
    this.source?.close();
    this.source = undefined;
    this.covered = new Set();
    if (this.retry !== undefined) clearTimeout(this.retry);
    this.retry = undefined;
  }

  private setLive(live: boolean) {
    if (live === this.live) return;
    this.live = live;
    this.options.onLiveChange(live);
  }

  private openStream() {
    this.stop();
    const source = this.options.open(this.wanted);
    const covered = new Set(this.wanted);
    this.source = source;
    this.covered = covered;
    const current = () => this.source === source;

    source.addEventListener("generation", (event) => {
      if (!current()) return;
      let generation: Generation;
      try {
        generation = this.options.parse(event.data);
      } catch {
        return;
      }
      if (isFinal(generation)) covered.delete(generation.id);
      this.options.onGeneration(generation);
    });
    source.addEventListener("gone", (event) => {
      if (!current()) return;
      let id: unknown;
      try {
        id = (JSON.parse(event.data) as { id?: unknown }).id;
      } catch {
        return;
      }
      if (typeof id !== "string") return;
      covered.delete(id);
      this.options.onGone(id);
    });
    source.onopen = () => {
      if (current()) this.setLive(true);
    };
    source.onerror = () => {
      if (!current()) return;
      source.close();
      this.source = undefined;
      // The server ends the stream once everything it followed has settled: that is not a drop.
      if (covered.size === 0) return;
      this.covered = new Set();
      this.setLive(false);
      this.retry = setTimeout(() => {
        this.retry = undefined;
        if (this.wanted.length > 0) this.openStream();
      }, this.options.retryMs);
    };
  }
}
