// What each role's header shows and where each role lands after signing in: one table, read by the
// server (sign-in redirect, page checks) and the browser (the header).
import { describe, expect, it } from "vitest";

import { homeFor, landingFor, navFor } from "@/lib/auth/pages";

describe("pages by role", () => {
  it("the header links only what the role may open", () => {
    const labels = (role: "viewer" | "member" | "admin") => navFor(role).map((link) => link.label);
    expect(labels("viewer")).toEqual(["Gallery", "Campaigns", "Access tokens"]);
    expect(labels("member")).toEqual(["Composer", "Gallery", "Campaigns", "Access tokens"]);
    expect(labels("admin")).toEqual(["Composer", "Gallery", "Campaigns", "Settings", "Access tokens"]);
  });

  it("viewers start in the gallery, members and admins in the composer", () => {
    expect([homeFor("viewer"), homeFor("member"), homeFor("admin")]).toEqual(["/gallery", "/", "/"]);
  });

  it("after sign-in, the page they came from when their role may open it, else their home", () => {
    expect(landingFor("viewer", "/")).toBe("/gallery");
    expect(landingFor("viewer", "/?from=0000")).toBe("/gallery");
    expect(landingFor("viewer", "/settings")).toBe("/gallery");
    expect(landingFor("viewer", "/settings/tokens")).toBe("/settings/tokens");
    expect(landingFor("viewer", "/gallery?q=marble")).toBe("/gallery?q=marble");
    expect(landingFor("member", "/settings")).toBe("/");
    expect(landingFor("member", "/?from=0000")).toBe("/?from=0000");
    expect(landingFor("admin", "/settings/")).toBe("/settings/");
    // A campaign's own page is one page whatever its id; planning one is for members.
    expect(landingFor("viewer", "/campaigns/3f0c")).toBe("/campaigns/3f0c");
    expect(landingFor("viewer", "/campaigns/new")).toBe("/gallery");
    expect(landingFor("member", "/campaigns/new")).toBe("/campaigns/new");
    expect(landingFor("viewer", "/campaigns/3f0c/more")).toBe("/gallery");
    // Not a page, or the sign-in page itself: home.
    for (const next of [undefined, "/sign-in", "/sign-in?next=%2F", "/api/me", "/nowhere"]) {
      expect(landingFor("viewer", next), String(next)).toBe("/gallery");
      expect(landingFor("admin", next), String(next)).toBe("/");
    }
  });
});
