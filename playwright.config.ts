import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

import { CHROMIUM_LAUNCH } from "./test/support/chromium";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const STANDIN_PORT = Number(process.env.E2E_STANDIN_PORT ?? 3199);
const baseURL = `http://127.0.0.1:${PORT}`;
export const E2E_DATA_DIR = path.resolve(".e2e-data");
export const E2E_CLAID_KEY = "e2e-claid-key";
/** People the auth set-up project creates on the fresh install, and where it keeps their sessions. */
export const E2E_USERS = {
  admin: { name: "E2E Admin", email: "admin-e2e@example.com", password: "admin-e2e-password" },
  member: { name: "E2E Member", email: "member-e2e@example.com", password: "member-e2e-password" },
  viewer: { name: "E2E Viewer", email: "viewer-e2e@example.com", password: "viewer-e2e-password" },
} as const;
export const AUTH_STATE = {
  admin: path.resolve("test-results/e2e-auth/admin.json"),
  member: path.resolve("test-results/e2e-auth/member.json"),
  viewer: path.resolve("test-results/e2e-auth/viewer.json"),
} as const;

export default defineConfig({
  testDir: "e2e",
  testMatch: /.*\.spec\.ts$/,
  outputDir: "test-results/e2e",
  // One app server and one browser on a 2-core machine: parallel workers only fight each other.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: "test-results/playwright.json" }]],
  use: {
    baseURL,
    trace: "on-first-retry",
    screenshot: "only-on-failure",
    launchOptions: CHROMIUM_LAUNCH,
  },
  projects: [
    // Creates the first admin through the sign-in page, then a member and a viewer, and saves sessions.
    { name: "setup", testMatch: /auth\.setup\.ts$/ },
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        viewport: { width: 1440, height: 900 },
        storageState: AUTH_STATE.member,
      },
      dependencies: ["setup"],
    },
  ],
  webServer: [
    {
      command: "node --import tsx test/support/claid-standin/main.ts",
      url: `http://127.0.0.1:${STANDIN_PORT}/health`,
      env: { PORT: String(STANDIN_PORT), CLAID_STANDIN_KEY: E2E_CLAID_KEY },
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: "node scripts/e2e-server.mjs",
      url: `${baseURL}/api/health`,
      env: {
        PORT: String(PORT),
        HOST: "127.0.0.1",
        DATA_DIR: E2E_DATA_DIR,
        DEFAULT_ENGINE: "local",
        CLAID_API_KEY: E2E_CLAID_KEY,
        CLAID_API_BASE_URL: `http://127.0.0.1:${STANDIN_PORT}`,
        CLAID_DOWNLOAD_HOSTS: "127.0.0.1",
        ALLOW_LOOPBACK_FETCH: "1",
      },
      reuseExistingServer: false,
      timeout: 120_000,
    },
  ],
});
