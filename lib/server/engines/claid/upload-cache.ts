import "server-only";

/**
 * Which Claid-reachable URL an image we hold was uploaded to, by the image's content hash, so the same
 * product is uploaded once. Behind an interface because a shared (database) cache can replace the
 * in-memory one when several instances run.
 */
export interface UploadCache {
  get(key: string): Promise<string | undefined>;
  set(key: string, url: string): Promise<void>;
}

/** Claid keeps uploads for a day; forgetting them well before that avoids handing out a dead URL. */
export const UPLOAD_CACHE_TTL_MS = 12 * 60 * 60 * 1000;

export class MemoryUploadCache implements UploadCache {
  private readonly entries = new Map<string, { url: string; expiresAt: number }>();

  constructor(
    private readonly ttlMs = UPLOAD_CACHE_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string): Promise<string | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.url;
  }

  async set(key: string, url: string): Promise<void> {
    this.entries.set(key, { url, expiresAt: this.now() + this.ttlMs });
  }
}
