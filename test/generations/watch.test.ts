import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import * as eventsRoute from "@/app/api/generations/events/route";
import type { Generation, GenerationStatus } from "@/lib/scene/generation";
import { MAX_WATCHED } from "@/lib/scene/generation";
import { createToken } from "@/lib/server/auth/tokens";
import { user } from "@/lib/server/db/schema/auth";
import { generations } from "@/lib/server/db/schema/generations";
import { insertGeneration } from "@/lib/server/generations/records/records";
import { announceChange } from "@/lib/server/generations/runner/notify";

import { DRIVERS, openGenerationDeps, promptRequest, truncateGenerations, type TestDeps } from "./support";

const viewer = { userId: "user-watch-viewer", name: "Vi Viewer", email: "watch-vi@example.com" };

type StreamEvent = { event: string; data: { id: string; status?: GenerationStatus } };

/** Reads server-sent events one at a time, as a browser's EventSource would dispatch them. */
function eventReader(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  return {
    /** The next event, or undefined when the stream has ended. */
    async next(): Promise<StreamEvent | undefined> {
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) return { event, data: JSON.parse(data) as StreamEvent["data"] };
          continue;
        }
        const { value, done } = await reader.read();
        if (done) return undefined;
        buffer += decoder.decode(value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}

describe.each(DRIVERS)("GET /api/generations/events on %s", (driver) => {
  let deps: TestDeps;
  let token: string;

  beforeAll(async () => {
    deps = await openGenerationDeps(driver, { DEFAULT_ENGINE: "local" });
    await deps.db
      .insert(user)
      .values({ id: viewer.userId, name: viewer.name, email: viewer.email, role: "viewer" });
    token = (await createToken(deps.db, { userId: viewer.userId, name: "watch tests" })).token;
  }, 240_000);
  afterAll(async () => {
    await deps?.close();
  });
  beforeEach(async () => {
    await truncateGenerations(deps);
  });

  function watch(ids: readonly string[], signal?: AbortSignal): Promise<Response> {
    const query = new URLSearchParams(ids.map((id) => ["id", id]));
    const request = new Request(`http://127.0.0.1:3000/api/generations/events?${query}`, {
      headers: { authorization: `Bearer ${token}` },
      ...(signal ? { signal } : {}),
    });
    return eventsRoute.GET(request, { params: Promise.resolve({}) });
  }

  async function queued(prompt: string): Promise<string> {
    const row = await insertGeneration(deps.db, {
      request: promptRequest(prompt),
      engine: "local",
      principal: undefined,
    });
    return row.id;
  }

  /** Changes a generation's status as a worker would, announcing it or leaving it to be polled. */
  async function setStatus(id: string, status: GenerationStatus, announce = true) {
    const settled = status === "succeeded" || status === "failed" || status === "interrupted";
    await deps.db
      .update(generations)
      .set({
        status,
        ...(status === "running" ? { startedAt: new Date() } : {}),
        ...(settled ? { finishedAt: new Date() } : {}),
      })
      .where(eq(generations.id, id));
    if (announce) announceChange(id);
  }

  it("sends each generation now, every change as it happens, and ends once all have settled", async () => {
    const a = await queued("watched a");
    const b = await queued("watched b");
    const response = await watch([a, b]);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = eventReader(response);

    const first = [await events.next(), await events.next()];
    expect(first.map((e) => [e?.event, e?.data.id, e?.data.status])).toEqual([
      ["generation", a, "queued"],
      ["generation", b, "queued"],
    ]);

    await setStatus(a, "running");
    expect(await events.next()).toMatchObject({ event: "generation", data: { id: a, status: "running" } });
    await setStatus(a, "succeeded");
    expect(await events.next()).toMatchObject({ event: "generation", data: { id: a, status: "succeeded" } });

    // A change nobody announced (another instance ran it) is found by the stream's own polling.
    await setStatus(b, "failed", false);
    expect(await events.next()).toMatchObject({ event: "generation", data: { id: b, status: "failed" } });
    expect(await events.next()).toBeUndefined();
  });

  it("answers with full generations, as GET /api/generations/:id does", async () => {
    const id = await queued("full record");
    await setStatus(id, "succeeded", false);
    const text = await (await watch([id])).text();
    const data = /^event: generation\ndata: (.*)$/m.exec(text)?.[1];
    const generation = JSON.parse(data ?? "{}") as Generation;
    expect(generation).toMatchObject({
      id,
      kind: "scene",
      status: "succeeded",
      engine: "local",
      outputs: [],
    });
    expect(generation.request).toMatchObject({ scene: { prompt: "full record" } });
  });

  it("says `gone` for ids that name no generation, and still follows the others", async () => {
    const settled = await queued("already done");
    await setStatus(settled, "succeeded", false);
    const unknown = randomUUID();
    const events = eventReader(await watch([unknown, "not-a-generation-id", settled]));
    const seen: [string, string][] = [];
    for (let e = await events.next(); e; e = await events.next()) seen.push([e.event, e.data.id]);
    expect(seen).toEqual([
      ["gone", unknown],
      ["gone", "not-a-generation-id"],
      ["generation", settled],
    ]);
  });

  it("stops watching when the caller goes away", async () => {
    const id = await queued("abandoned");
    const caller = new AbortController();
    const events = eventReader(await watch([id], caller.signal));
    expect(await events.next()).toMatchObject({ event: "generation", data: { id, status: "queued" } });
    caller.abort();
    expect(await events.next()).toBeUndefined();
  });

  it(`refuses no ids and more than ${MAX_WATCHED} with 422 naming the field`, async () => {
    const none = await watch([]);
    expect(none.status).toBe(422);
    expect(await none.json()).toMatchObject({
      error_code: "validation_error",
      error_details: { fields: { id: [expect.stringContaining("at least one")] } },
    });

    const ids = Array.from({ length: MAX_WATCHED + 1 }, () => randomUUID());
    const tooMany = await watch(ids);
    expect(tooMany.status).toBe(422);
    expect(await tooMany.json()).toMatchObject({
      error_code: "validation_error",
      error_details: { fields: { id: [expect.stringContaining(`at most ${MAX_WATCHED}`)] } },
    });

    // The same id twice counts once.
    const repeated = await watch([...ids.slice(0, MAX_WATCHED), ids[0]!]);
    expect(repeated.status).toBe(200);
    await repeated.body?.cancel();
  });
});
