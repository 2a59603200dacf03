// Signed file links: what a scene/create answer hands out as `tmp_url`, opening without a session
// until it expires, refused when anything in it was changed; the same file without a signature still
// needs someone signed in.
import { beforeAll, describe, expect, it } from "vitest";

import * as fileRoute from "@/app/api/files/[key]/route";
import type { Config } from "@/lib/server/config";
import { objectStoreFor } from "@/lib/server/storage";
import { checkSignedLink, signedFileLinks } from "@/lib/server/storage/signed-links";

import { testConfig } from "../support/config";
import { productPng } from "../support/product-images";

const ORIGIN = "http://127.0.0.1:3000";
const SECRET = "a-test-secret-that-is-long-enough-0123456789";
let config: Config;
let key: string;

beforeAll(async () => {
  config = testConfig({ AUTH_SECRET: SECRET, SIGNED_URL_TTL_HOURS: "2" });
  key = (await objectStoreFor(config.DATA_DIR).put(await productPng(), "png")).key;
});

function queryOf(link: string) {
  const url = new URL(link);
  return {
    expires: url.searchParams.get("expires") ?? undefined,
    signature: url.searchParams.get("signature") ?? undefined,
  };
}

/** The file route as an HTTP client with no credential of ours calls it. */
function fetchAnonymously(link: string) {
  const url = new URL(link);
  const fileKey = decodeURIComponent(url.pathname.split("/").at(-1) ?? "");
  return fileRoute.GET(new Request(url), { params: Promise.resolve({ key: fileKey }) });
}

async function refusal(response: Response) {
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  return { status: response.status, ...((await response.json()) as Record<string, unknown>) };
}

describe("signed file links", () => {
  it("name the file and an expiry SIGNED_URL_TTL_HOURS ahead, and hold until that second", () => {
    const now = new Date("2030-01-01T00:00:00Z");
    const link = signedFileLinks(config, ORIGIN, now)(key);
    expect(link).toMatch(
      new RegExp(`^${ORIGIN}/api/files/${key}\\?expires=\\d+&signature=[A-Za-z0-9_-]{43}$`),
    );
    const query = queryOf(link);
    expect(Number(query.expires)).toBe(now.getTime() / 1000 + 2 * 3600);
    const justBefore = new Date(now.getTime() + 2 * 3600_000 - 1000);
    expect(() => checkSignedLink(config, key, query, justBefore)).not.toThrow();
    const atExpiry = new Date(now.getTime() + 2 * 3600_000);
    expect(() => checkSignedLink(config, key, query, atExpiry)).toThrow(
      expect.objectContaining({ status: 403, code: "link_expired" }),
    );
  });

  it("are refused when the key, the expiry or the signature changed, or another secret signed them", () => {
    const now = new Date();
    const query = queryOf(signedFileLinks(config, ORIGIN, now)(key));
    const otherKey = `${"0".repeat(64)}.png`;
    const later = String(Number(query.expires) + 3600);
    const flipped = `${query.signature!.slice(0, -1)}${query.signature!.endsWith("A") ? "B" : "A"}`;
    const otherSecret = { ...config, AUTH_SECRET: `${SECRET}-rotated` };
    const cases: [string, () => void][] = [
      ["another key", () => checkSignedLink(config, otherKey, query, now)],
      ["a later expiry", () => checkSignedLink(config, key, { ...query, expires: later }, now)],
      ["a changed signature", () => checkSignedLink(config, key, { ...query, signature: flipped }, now)],
      ["a cut signature", () => checkSignedLink(config, key, { ...query, signature: "abc" }, now)],
      ["no signature", () => checkSignedLink(config, key, { expires: query.expires }, now)],
      ["no expiry", () => checkSignedLink(config, key, { signature: query.signature }, now)],
      ["an expiry that is no number", () => checkSignedLink(config, key, { ...query, expires: "1e99" }, now)],
      ["another secret", () => checkSignedLink(otherSecret, key, query, now)],
    ];
    for (const [what, check] of cases) {
      expect(check, what).toThrow(expect.objectContaining({ status: 403, code: "link_invalid" }));
    }
  });
});

describe("GET /api/files/:key", () => {
  it("serves a signed link to a client with no session and no token", async () => {
    const response = await fetchAnonymously(signedFileLinks(config, ORIGIN)(key));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.equals((await objectStoreFor(config.DATA_DIR).get(key))!)).toBe(true);
  });

  it("refuses a tampered link and an expired one with 403 in the error shape", async () => {
    const link = new URL(signedFileLinks(config, ORIGIN)(key));
    link.searchParams.set("expires", String(Number(link.searchParams.get("expires")) + 60));
    expect(await refusal(await fetchAnonymously(link.href))).toMatchObject({
      status: 403,
      error_code: "link_invalid",
      error_type: "auth",
      error_message: expect.stringContaining("not valid"),
    });
    const expired = signedFileLinks(config, ORIGIN, new Date(Date.now() - 3 * 3600_000))(key);
    expect(await refusal(await fetchAnonymously(expired))).toMatchObject({
      status: 403,
      error_code: "link_expired",
      error_type: "auth",
      error_details: { expired_at: expect.any(String) },
    });
    // A valid signature does not open another file.
    const other = (
      await objectStoreFor(config.DATA_DIR).put(
        await productPng(300, 200, { x: 10, y: 10, width: 100, height: 50 }),
        "png",
      )
    ).key;
    const moved = signedFileLinks(config, ORIGIN)(key).replace(key, other);
    expect(await refusal(await fetchAnonymously(moved))).toMatchObject({
      status: 403,
      error_code: "link_invalid",
    });
  });

  it("still needs someone signed in for the same file without a signature", async () => {
    expect(await refusal(await fetchAnonymously(`${ORIGIN}/api/files/${key}`))).toMatchObject({
      status: 401,
      error_code: "unauthenticated",
    });
  });
});
