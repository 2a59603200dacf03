// The proxy's security headers on pages: a fresh nonce per request, a strict script policy.
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";

import { proxy, config as proxyConfig } from "@/proxy";

function run(path: string) {
  return proxy(new NextRequest(`http://127.0.0.1:3000${path}`));
}

describe("proxy", () => {
  it("sends a nonce-based CSP and the other security headers", () => {
    const response = run("/");
    const csp = response.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(Buffer.from(nonce!, "base64")).toHaveLength(16);
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'(;|$)/);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'self'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("same-origin");
    expect(response.headers.get("permissions-policy")).toContain("camera=()");
    // Next reads the nonce from the request's CSP header when rendering the page.
    expect(response.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
    expect(response.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
  });

  it("uses a new nonce for every request", () => {
    const nonces = new Set(
      Array.from({ length: 50 }, () => run("/gallery").headers.get("x-middleware-request-x-nonce")),
    );
    expect(nonces.size).toBe(50);
  });

  it("runs on pages and leaves API routes and static assets alone", () => {
    const [matcher] = proxyConfig.matcher;
    const pattern = new RegExp(`^${matcher!.replace("/((?!", "/(?!").replace(").*)", ").*")}$`);
    for (const page of ["/", "/gallery", "/settings", "/settings/tokens", "/sign-in"])
      expect(pattern.test(page), page).toBe(true);
    for (const other of [
      "/api/me",
      "/v1/scene/create",
      "/_next/static/chunks/a.js",
      "/_next/image",
      "/favicon.ico",
    ]) {
      expect(pattern.test(other), other).toBe(false);
    }
  });
});
