import { describe, expect, it } from "vitest";

import { publicOrigin } from "@/lib/server/http/origin";
import { redact, registerSecret } from "@/lib/server/log";

describe("publicOrigin", () => {
  it("uses the Host the caller used, not the address the server bound", () => {
    const request = new Request("http://localhost:3000/v1/scene/create", {
      headers: { host: "studio.example:8080" },
    });
    expect(publicOrigin(request, {})).toBe("http://studio.example:8080");
  });
  it("prefers PUBLIC_BASE_URL", () => {
    const request = new Request("http://localhost:3000/x", { headers: { host: "10.0.0.5:3000" } });
    expect(publicOrigin(request, { PUBLIC_BASE_URL: "https://backdrop.example" })).toBe(
      "https://backdrop.example",
    );
  });
  it("ignores a Host header that is not a host", () => {
    const request = new Request("http://localhost:3000/x", { headers: { host: "evil.example/<script>" } });
    expect(publicOrigin(request, {})).toBe("http://localhost:3000");
  });
});

describe("log redaction", () => {
  it("removes registered secrets, bearer credentials and access tokens anywhere in a line", () => {
    registerSecret("claid-secret-value-123");
    const line = redact(
      'upstream said "bad key claid-secret-value-123"; Authorization: Bearer abc.def-ghi; pasted bd_0123456789abcdefghijABCDEFGHIJ_-xyz',
    );
    expect(line).not.toContain("claid-secret-value-123");
    expect(line).not.toContain("abc.def-ghi");
    expect(line).not.toContain("0123456789abcdefghij");
    expect(line).toContain("[redacted]");
  });
});
