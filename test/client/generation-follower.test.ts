import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";

import { GenerationFollower, MAX_FOLLOWED, type StreamSource } from "@/lib/client/generation-follower";
import type { Generation, GenerationStatus } from "@/lib/scene/generation";

/** An EventSource stand-in the test drives: what the server sends, and how the connection goes. */
class FakeSource implements StreamSource {
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  private listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>();
  constructor(readonly ids: readonly string[]) {}
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
  }
  emit(type: "generation" | "gone", data: unknown) {
    for (const l of this.listeners.get(type) ?? []) l(new MessageEvent(type, { data: JSON.stringify(data) }));
  }
  open() {
    this.onopen?.(new Event("open"));
  }
  /** What EventSource reports when the connection ends, for whatever reason. */
  drop() {
    this.onerror?.(new Event("error"));
  }
}

const generation = (id: string, status: GenerationStatus) => ({ id, status }) as Generation;

describe("following generations by server-sent events", () => {
  let sources: FakeSource[];
  let seen: Generation[];
  let gone: string[];
  let liveness: boolean[];
  let follower: GenerationFollower;
  const latest = () => sources.at(-1)!;

  beforeEach(() => {
    vi.useFakeTimers();
    sources = [];
    seen = [];
    gone = [];
    liveness = [];
    follower = new GenerationFollower({
      open: (ids) => {
        const source = new FakeSource(ids);
        sources.push(source);
        return source;
      },
      parse: (data) => JSON.parse(data) as Generation,
      onGeneration: (g) => seen.push(g),
      onGone: (id) => gone.push(id),
      onLiveChange: (live) => liveness.push(live),
      retryMs: 3000,
    });
  });
  afterEach(() => {
    follower.close();
    vi.useRealTimers();
  });

  test("one stream for all the ids; each event reaches the page", () => {
    follower.follow(["a", "b"]);
    expect(sources.map((s) => s.ids)).toEqual([["a", "b"]]);
    latest().emit("generation", generation("a", "running"));
    latest().emit("gone", { id: "b" });
    expect(seen.map((g) => [g.id, g.status])).toEqual([["a", "running"]]);
    expect(gone).toEqual(["b"]);
  });

  test("the stream is reopened only when an id it does not cover joins, and closed when none are left", () => {
    follower.follow(["a", "b"]);
    const first = latest();
    // One of them settled: the server stops following it by itself; no new stream.
    first.emit("generation", generation("b", "succeeded"));
    follower.follow(["a"]);
    expect(sources).toHaveLength(1);
    // A new generation: one stream for the new set, the old one closed.
    follower.follow(["c", "a"]);
    expect(sources.map((s) => s.ids)).toEqual([
      ["a", "b"],
      ["c", "a"],
    ]);
    expect(first.closed).toBe(true);
    follower.follow([]);
    expect(latest().closed).toBe(true);
    expect(sources).toHaveLength(2);
  });

  test("the server ending the stream after everything settled is not a drop", () => {
    follower.follow(["a"]);
    latest().emit("generation", generation("a", "failed"));
    latest().drop();
    expect(liveness).toEqual([]);
    vi.advanceTimersByTime(10_000);
    expect(sources).toHaveLength(1);
  });

  test("a drop turns to polling, and the stream is tried again after a pause", () => {
    follower.follow(["a", "b"]);
    latest().open();
    latest().drop();
    expect(latest().closed).toBe(true);
    expect(liveness).toEqual([false]);
    // Meanwhile the set changes; the retry opens for what is wanted then, once.
    follower.follow(["c", "a", "b"]);
    expect(sources).toHaveLength(1);
    vi.advanceTimersByTime(3000);
    expect(sources.map((s) => s.ids)).toEqual([
      ["a", "b"],
      ["c", "a", "b"],
    ]);
    latest().open();
    expect(liveness).toEqual([false, true]);
  });

  test("events of a stream that was replaced are ignored", () => {
    follower.follow(["a"]);
    const old = latest();
    follower.follow(["b"]);
    old.emit("generation", generation("a", "running"));
    old.drop();
    expect(seen).toEqual([]);
    expect(liveness).toEqual([]);
  });

  test("data that is not a generation is dropped, not passed on", () => {
    follower = new GenerationFollower({
      open: (ids) => {
        const source = new FakeSource(ids);
        sources.push(source);
        return source;
      },
      parse: () => {
        throw new Error("not a generation");
      },
      onGeneration: (g) => seen.push(g),
      onGone: (id) => gone.push(id),
      onLiveChange: (live) => liveness.push(live),
      retryMs: 3000,
    });
    follower.follow(["a"]);
    latest().emit("generation", { nonsense: true });
    expect(seen).toEqual([]);
  });

  test(`at most ${MAX_FOLLOWED} ids go into one stream, each once`, () => {
    const ids = Array.from({ length: MAX_FOLLOWED + 20 }, (_, i) => `g${i}`);
    follower.follow([...ids, "g0"]);
    expect(latest().ids).toEqual(ids.slice(0, MAX_FOLLOWED));
  });
});
