import { defineConfig } from "drizzle-kit";

// Schema files under lib/server/db/schema are plain table definitions (no server-only imports), so
// drizzle-kit can load them; `npm run db:generate` writes SQL migrations into ./drizzle.
export default defineConfig({
  dialect: "postgresql",
  schema: "./lib/server/db/schema/*.ts",
  out: "./drizzle",
});
