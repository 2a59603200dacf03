import "server-only";

import { randomUUID } from "node:crypto";
import pg from "pg";

import { log } from "../log";

/** The one PostgreSQL channel every instance on a database listens on. */
export const SIGNAL_CHANNEL = "backdrop_signals";
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 15_000;

export type Signal = { topic: string; subject: string };
type Handler = (subject: string) => void;

/**
 * One instance's line to the others on a PostgreSQL database: a connection of its own that LISTENs
 * on the channel and sends with `pg_notify`. A dropped connection is opened again (with a growing
 * pause) and listens again; what was sent meanwhile is lost, which is why signals only ever make
 * something sooner that polling the database does anyway.
 */
export class SignalLink {
  /** Tells this instance's own signals apart when the channel echoes them back. */
  readonly origin = randomUUID();
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private retryMs = RECONNECT_MIN_MS;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;
  /** Sends go one after another on the connection, in the order they were made. */
  private sending: Promise<unknown> = Promise.resolve();

  constructor(
    readonly databaseUrl: string,
    private readonly deliver: (signal: Signal) => void,
  ) {}

  /** Resolves once listening (the first time), or rejects when the first connection fails. */
  start(): Promise<void> {
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  get listening(): boolean {
    return this.client !== undefined;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl, keepAlive: true });
    const lost = (error?: Error) => {
      if (this.client !== client) return;
      this.client = undefined;
      client.removeAllListeners("notification");
      void client.end().catch(() => undefined);
      if (this.closed) return;
      log.warn("the signal connection closed; listening again soon", { error: error?.message });
      this.retrySoon();
    };
    client.on("error", lost);
    client.on("end", () => lost());
    client.on("notification", (message) => {
      if (message.channel !== SIGNAL_CHANNEL || !message.payload) return;
      const signal = parsePayload(message.payload);
      if (!signal || signal.origin === this.origin) return;
      this.deliver({ topic: signal.topic, subject: signal.subject });
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${SIGNAL_CHANNEL}`);
    } catch (error) {
      client.removeAllListeners();
      client.on("error", () => undefined);
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryMs = RECONNECT_MIN_MS;
  }

  /** Connects again after a pause, and again after longer ones, until it listens or is closed. */
  retrySoon(): void {
    if (this.closed || this.retry) return;
    const wait = this.retryMs;
    this.retryMs = Math.min(RECONNECT_MAX_MS, this.retryMs * 2);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.start().catch((error: unknown) => {
        log.warn("the signal connection could not be opened; trying again", {
          error: error instanceof Error ? error.message : String(error),
        });
        this.retrySoon();
      });
    }, wait);
    this.retry.unref();
  }

  /** Sends to every other instance listening; dropped while the connection is down. Never throws. */
  send(topic: string, subject = ""): void {
    const client = this.client;
    if (!client) return;
    const payload = JSON.stringify({ origin: this.origin, topic, subject });
    this.sending = this.sending
      .then(() => client.query("select pg_notify($1, $2)", [SIGNAL_CHANNEL, payload]))
      .catch((error: unknown) => {
        log.warn("a signal to other instances was not sent", {
          topic,
          error: error instanceof Error ? error.message : String(error),
        });
      });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await this.connecting?.catch(() => undefined);
    await this.sending;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}

function parsePayload(payload: string): (Signal & { origin: string }) | undefined {
  try {
    const value = JSON.parse(payload) as Record<string, unknown>;
    if (typeof value.origin !== "string" || typeof value.topic !== "string") return undefined;
    return { origin: value.origin, topic: value.topic, subject: String(value.subject ?? "") };
  } catch {
    return undefined;
  }
}

// Handlers and the link belong to the process, however often Next loads this module.
const KEY = Symbol.for("backdrop.shared-signals");
type State = { handlers: Map<string, Set<Handler>>; link: SignalLink | undefined };
type WithState = typeof globalThis & { [KEY]?: State };
const state = ((globalThis as WithState)[KEY] ??= { handlers: new Map(), link: undefined });

function dispatch(signal: Signal) {
  for (const handler of state.handlers.get(signal.topic) ?? []) {
    try {
      handler(signal.subject);
    } catch (error) {
      log.warn("a signal handler failed", {
        topic: signal.topic,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

/** Runs `handler` for each `topic` signal another instance sends (once this process is linked). */
export function onSignal(topic: string, handler: Handler): () => void {
  let handlers = state.handlers.get(topic);
  if (!handlers) {
    handlers = new Set();
    state.handlers.set(topic, handlers);
  }
  handlers.add(handler);
  return () => handlers.delete(handler);
}

/** Tells the other instances sharing this process's database; nothing without a link. */
export function sendSignal(topic: string, subject = ""): void {
  state.link?.send(topic, subject);
}

/**
 * Links this process to the other instances on the PostgreSQL at `databaseUrl` (start-up, once the
 * database is open). A link to another database is closed first.
 */
export async function linkSignals(databaseUrl: string): Promise<void> {
  if (state.link?.databaseUrl === databaseUrl) return state.link.start();
  await unlinkSignals();
  const link = new SignalLink(databaseUrl, dispatch);
  state.link = link;
  try {
    await link.start();
  } catch (error) {
    // Serving goes on without: other instances' changes arrive by polling until the link is back.
    log.warn("not listening for other instances' signals yet", {
      error: error instanceof Error ? error.message : String(error),
    });
    if (state.link === link) link.retrySoon();
  }
}

/** Closes this process's link (stopping, tests). */
export async function unlinkSignals(): Promise<void> {
  const link = state.link;
  state.link = undefined;
  await link?.close();
}
