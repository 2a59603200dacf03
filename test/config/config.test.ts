import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { ConfigError, envSchema, loadConfig } from "@/lib/server/config";

describe("configuration", () => {
  it("documents every variable in the README", () => {
    const readme = fs.readFileSync(path.resolve("README.md"), "utf8");
    const names = Object.keys(envSchema.in.shape).filter((name) => name !== "NODE_ENV");
    expect(names).toContain("TOKEN_CACHE_SECONDS");
    expect(names.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });

  it("runs on embedded defaults with no environment at all", () => {
    const config = loadConfig({});
    expect(config.DEFAULT_ENGINE).toBe("local");
    expect(config.CLAID_API_BASE_URL).toBe("https://api.claid.ai");
    expect(config.DATA_DIR).toBe(path.resolve("./data"));
    expect(config.HOST).toBe("127.0.0.1");
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it("defaults to the claid engine once a key is configured", () => {
    expect(loadConfig({ CLAID_API_KEY: "k-123456" }).DEFAULT_ENGINE).toBe("claid");
    expect(loadConfig({ CLAID_API_KEY: "k-123456", DEFAULT_ENGINE: "local" }).DEFAULT_ENGINE).toBe("local");
  });

  it.each([
    [{ DEFAULT_ENGINE: "claid" }, "DEFAULT_ENGINE"],
    [{ DEFAULT_ENGINE: "magic" }, "DEFAULT_ENGINE"],
    [{ PORT: "eighty" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ CLAID_API_BASE_URL: "ftp://claid" }, "CLAID_API_BASE_URL"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ CLAID_TIMEOUT_MS: "-5" }, "CLAID_TIMEOUT_MS"],
    [{ STORAGES: "no-equals-sign" }, "STORAGES"],
  ])("refuses %o naming the variable", (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`${variable}:`));
  });

  it("refuses a shared database without a shared session secret, saying why and how to make one", () => {
    const shared = { DATABASE_URL: "postgres://db.example/backdrop" };
    expect(() => loadConfig(shared)).toThrow(/AUTH_SECRET: must be set when DATABASE_URL is set/);
    expect(() => loadConfig(shared)).toThrow(/openssl rand -base64 32/);
    const secret = "s".repeat(32);
    expect(loadConfig({ ...shared, AUTH_SECRET: secret }).AUTH_SECRET).toBe(secret);
    // The embedded database is one process's: it makes and keeps its own secret.
    expect(loadConfig({}).AUTH_SECRET).toBeUndefined();
  });

  it("reads storage folders and trims the base URL", () => {
    const config = loadConfig({
      STORAGES: "brand=./out/brand, web=/tmp/web",
      CLAID_API_BASE_URL: "http://127.0.0.1:9/",
    });
    expect(config.STORAGES).toEqual({ brand: path.resolve("./out/brand"), web: "/tmp/web" });
    expect(config.CLAID_API_BASE_URL).toBe("http://127.0.0.1:9");
  });

  it("stops the server at start with a message naming the wrong variable", () => {
    const result = spawnSync(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", "test/support/start-server.ts"],
      { env: { ...process.env, PORT: "not-a-port" }, encoding: "utf8", timeout: 30_000 },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("PORT");
    expect(result.stderr).toContain("Invalid configuration");
  });
});
