// Where the sign-in page may send the browser afterwards: hostile `next` values never leave the app.
import { describe, expect, it } from "vitest";

import { PLACEHOLDER_ORIGIN, sameOriginPath } from "@/lib/auth/return-path";
import { pageDecision } from "@/lib/server/auth/page-access";

const ORIGIN = "https://studio.example.com";

/** Values browsers read as another origin, or that become one when decoded once more. */
const HOSTILE = [
  "//evil.example",
  "///evil.example",
  "////evil.example/path",
  "/\\evil.example",
  "\\\\evil.example",
  "\\/evil.example",
  "/\\/evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "\t//evil.example",
  " //evil.example",
  "\u0000//evil.example",
  "/\u0000/evil.example",
  "/\u001f/evil.example",
  "/\u007f/evil.example",
  "/\u0085/evil.example",
  "/.//evil.example",
  "/./\\evil.example",
  "/a/..//evil.example",
  "/%2e%2e//evil.example",
  "/%2e/%2fevil.example",
  "/%5Cevil.example",
  "/%5cevil.example",
  "%5C%5Cevil.example",
  "%2F%2Fevil.example",
  "%2f%2fevil.example",
  "/%2F%2Fevil.example",
  "/%2F/evil.example",
  "/%09/evil.example",
  "/%0a/evil.example",
  "/%0D%0A/evil.example",
  "%09//evil.example",
  "/%E2%80%A8/evil.example",
  "https://evil.example",
  "https://evil.example/",
  "HTTPS://EVIL.EXAMPLE/",
  "http://evil.example",
  "https:evil.example",
  "https:/evil.example",
  "https:\\\\evil.example",
  "http:\\\\evil.example",
  "https://studio.example.com.evil.example/",
  "https://studio.example.com@evil.example/",
  "https://evil.example\\@studio.example.com/",
  "http://studio.example.com/",
  "https://studio.example.com:8443/",
  "ftp://evil.example/",
  "javascript:alert(document.cookie)",
  "JaVaScRiPt:alert(1)",
  "java\tscript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "vbscript:msgbox(1)",
  "blob:https://evil.example/1",
  "%",
  "/%E0%A4%A",
  "",
  "/".repeat(3000),
];

/** Wherever the browser ends up when it is sent to `path` from a page of `origin`. */
function landsOn(path: string, origin: string): string {
  return new URL(path, origin).origin;
}

describe("sameOriginPath", () => {
  it.each(HOSTILE)("keeps the browser on the app for %j", (value) => {
    for (const origin of [ORIGIN, "http://127.0.0.1:3000", PLACEHOLDER_ORIGIN]) {
      const path = sameOriginPath(value, origin);
      if (path !== undefined) {
        // A hostile value may only survive as a plain path of our own.
        expect(path.startsWith("/") && !path.startsWith("//"), path).toBe(true);
        expect(landsOn(path, origin)).toBe(new URL(origin).origin);
        expect(landsOn(decodeURIComponent(path), origin)).toBe(new URL(origin).origin);
      }
    }
  });

  it("refuses each of them outright, except a few that are harmless paths of our own", () => {
    const kept = HOSTILE.map((value) => [value, sameOriginPath(value, ORIGIN)] as const).filter(
      ([, path]) => path !== undefined,
    );
    // On an https page `https:evil.example` and `https:/evil.example` are relative references (the path
    // /evil.example here), and U+2028 is no separator to a URL parser.
    expect(kept).toEqual([
      ["/%E2%80%A8/evil.example", "/%E2%80%A8/evil.example"],
      ["https:evil.example", "/evil.example"],
      ["https:/evil.example", "/evil.example"],
    ]);
  });

  it.each([
    ["/", "/"],
    ["/gallery", "/gallery"],
    ["/settings/tokens", "/settings/tokens"],
    ["/?from=gen_123", "/?from=gen_123"],
    ["/?from=%2Fgallery%3Fa%3D1", "/?from=%2Fgallery%3Fa%3D1"],
    ["/gallery#recent", "/gallery#recent"],
    ["/gallery/../settings", "/settings"],
    ["gallery", "/gallery"],
    ["https://studio.example.com/gallery?x=1", "/gallery?x=1"],
    ["/caf%C3%A9", "/caf%C3%A9"],
  ])("keeps %j as %j", (value, path) => {
    expect(sameOriginPath(value, ORIGIN)).toBe(path);
  });

  it("takes only relative values when the app's origin is not known", () => {
    expect(sameOriginPath("/gallery")).toBe("/gallery");
    expect(sameOriginPath("https://studio.example.com/gallery")).toBeUndefined();
  });

  it("refuses anything but a string", () => {
    for (const value of [undefined, null, 42, ["/gallery"], { toString: () => "/gallery" }]) {
      expect(sameOriginPath(value, ORIGIN)).toBeUndefined();
    }
  });
});

describe("the sign-in redirect of a page that needs a signed-in person", () => {
  it("carries a path of ours as next", () => {
    expect(pageDecision(undefined, "member", "/?from=gen_1")).toEqual({
      allow: false,
      redirectTo: `/sign-in?next=${encodeURIComponent("/?from=gen_1")}`,
    });
  });

  it.each(HOSTILE.filter((value) => sameOriginPath(value) === undefined))("drops next for %j", (value) => {
    expect(pageDecision(undefined, "member", value)).toEqual({ allow: false, redirectTo: "/sign-in" });
  });
});
