// The image queue: bounded decodes, bounded admissions, 503 in the error shape past them. No timing:
// every task is held open by the test and let go when it says so.
import { describe, expect, it } from "vitest";

import { ApiError } from "@/lib/server/errors";
import { createImageWorkQueue } from "@/lib/server/images/work-queue";

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

async function flush() {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe("decodes", () => {
  it("run at most `concurrency` at once, the rest in order as slots free", async () => {
    const queue = createImageWorkQueue({ concurrency: 2, maxQueued: 10 });
    const gates = Array.from({ length: 6 }, gate);
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const done = gates.map((g, i) =>
      queue.decodeSlot(async () => {
        started.push(i);
        running++;
        most = Math.max(most, running);
        await g.opened;
        running--;
        return i;
      }),
    );
    await flush();
    expect(started).toEqual([0, 1]);
    expect([queue.running, queue.waiting]).toEqual([2, 4]);
    gates[1]!.open();
    await flush();
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.open();
    expect(await Promise.all(done)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(most).toBe(2);
    expect([queue.running, queue.waiting]).toEqual([0, 0]);
  });

  it("a failing decode frees its slot", async () => {
    const queue = createImageWorkQueue({ concurrency: 1, maxQueued: 0 });
    await expect(queue.decodeSlot(() => Promise.reject(new Error("corrupt")))).rejects.toThrow("corrupt");
    expect(await queue.decodeSlot(async () => "next")).toBe("next");
  });
});

describe("admissions", () => {
  it("take concurrency + maxQueued places; the next is refused 503 with Retry-After", () => {
    const queue = createImageWorkQueue({ concurrency: 2, maxQueued: 3 });
    const releases = Array.from({ length: 5 }, () => queue.admit());
    expect(queue.admitted).toBe(5);
    let refusal: unknown;
    try {
      queue.admit();
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ApiError);
    const error = refusal as ApiError;
    expect(error.status).toBe(503);
    expect(error.toBody()).toMatchObject({
      error_code: "server_busy",
      error_type: "general",
      error_details: { retry_after_seconds: 5 },
    });
    expect(error.headers).toMatchObject({ "retry-after": "5" });
    expect(queue.admitted).toBe(5);

    releases[0]!();
    releases[0]!(); // twice counts once
    expect(queue.admitted).toBe(4);
    const again = queue.admit();
    expect(queue.admitted).toBe(5);
    again();
    for (const release of releases) release();
    expect(queue.admitted).toBe(0);
  });

  it("with concurrency 0 nothing is limited", async () => {
    const queue = createImageWorkQueue({ concurrency: 0, maxQueued: 0 });
    const releases = Array.from({ length: 50 }, () => queue.admit());
    expect(queue.admitted).toBe(50);
    const gates = Array.from({ length: 10 }, gate);
    let running = 0;
    const done = gates.map((g) =>
      queue.decodeSlot(async () => {
        running++;
        await g.opened;
      }),
    );
    await flush();
    expect(running).toBe(10);
    for (const g of gates) g.open();
    await Promise.all(done);
    for (const release of releases) release();
  });
});
