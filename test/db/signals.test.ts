import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { cachedPrincipal, forgetCachedPrincipals, rememberPrincipal } from "@/lib/server/auth/token-cache";
import { closeDatabases, openDatabase } from "@/lib/server/db/client";
import { linkSignals, SignalLink, unlinkSignals, type Signal } from "@/lib/server/db/signals";
import { announceChange, announceQueued, onChange, onQueued } from "@/lib/server/generations/runner/notify";

import { eventually } from "../generations/support";
import { freshPostgres, terminateConnections, type TestPostgres } from "../support/postgres";

/** Another instance's end of the channel, as a separate link with its own inbox. */
async function otherInstance(url: string) {
  const inbox: Signal[] = [];
  const link = new SignalLink(url, (signal) => inbox.push(signal));
  await link.start();
  return { link, inbox };
}

const principal = { userId: "u1", name: "U", email: "u@example.com", role: "member", via: "token" } as const;

describe("signals between instances on one PostgreSQL", () => {
  let database: TestPostgres;
  const links: SignalLink[] = [];

  beforeAll(async () => {
    database = await freshPostgres();
  });
  afterAll(async () => {
    await unlinkSignals();
    await Promise.all(links.map((l) => l.close()));
    await closeDatabases();
    await database?.drop();
  });

  it("a signal one instance sends reaches the others, never itself", async () => {
    const a = await otherInstance(database.url);
    const b = await otherInstance(database.url);
    links.push(a.link, b.link);
    a.link.send("generation-changed", "g-1");
    b.link.send("generation-queued");
    await eventually(async () => (a.inbox.length && b.inbox.length ? true : undefined));
    expect(b.inbox).toEqual([{ topic: "generation-changed", subject: "g-1" }]);
    expect(a.inbox).toEqual([{ topic: "generation-queued", subject: "" }]);
  });

  it("listens again after the database drops its connection, and signals flow again", async () => {
    const a = await otherInstance(database.url);
    const b = await otherInstance(database.url);
    links.push(a.link, b.link);
    expect(await terminateConnections(database.name)).toBeGreaterThanOrEqual(2);
    await eventually(async () => (!a.link.listening ? true : undefined));
    // Sent while a link is down, a signal is lost; once both listen again one gets through.
    await eventually(async () => {
      a.link.send("after-restart", "x");
      return b.inbox.some((s) => s.topic === "after-restart") ? true : undefined;
    }, 30_000);
    expect(b.link.listening).toBe(true);
  });

  it("this process's generation and token signals reach the other instances, and theirs arrive here", async () => {
    await linkSignals(database.url);
    const other = await otherInstance(database.url);
    links.push(other.link);

    announceChange("g-42");
    announceQueued();
    forgetCachedPrincipals();
    await eventually(async () => (other.inbox.length >= 3 ? true : undefined));
    expect(other.inbox).toEqual([
      { topic: "generation-changed", subject: "g-42" },
      { topic: "generation-queued", subject: "" },
      { topic: "tokens-changed", subject: "" },
    ]);

    let changed = 0;
    let queued = 0;
    const offChange = onChange("g-7", () => changed++);
    const offQueued = onQueued(() => queued++);
    const now = Date.now();
    rememberPrincipal("hash-1", principal, null, 60_000, now);
    expect(cachedPrincipal("hash-1", now)).toEqual(principal);
    other.link.send("generation-changed", "g-7");
    other.link.send("generation-queued");
    other.link.send("tokens-changed");
    await eventually(async () =>
      changed && queued && !cachedPrincipal("hash-1", Date.now()) ? true : undefined,
    );
    offChange();
    offQueued();
  });

  it("instances starting together on a fresh database take turns to migrate: every one starts", async () => {
    const fresh = await freshPostgres();
    try {
      const opened = await Promise.all(
        [1, 2, 3].map(() => openDatabase({ DATABASE_URL: fresh.url, DATA_DIR: "/nonexistent" })),
      );
      expect(opened.map((d) => d.kind)).toEqual(["postgres", "postgres", "postgres"]);
      await Promise.all(opened.map((d) => d.close()));
    } finally {
      await fresh.drop();
    }
  });
});
