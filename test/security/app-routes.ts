// The app's routes and pages as the file system declares them, so nothing can be added unseen.
import fs from "node:fs";
import path from "node:path";

const APP = path.resolve(import.meta.dirname, "../../app");
export const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

/** `app/api/files/[key]/thumb/route.ts` → `/api/files/:key/thumb`; `[...all]` → `*`; groups dropped. */
function urlPattern(file: string): string {
  const segments = path
    .relative(APP, path.dirname(file))
    .split(path.sep)
    .filter((s) => s && !/^\(.*\)$/.test(s))
    .map((s) => (/^\[\.\.\..+\]$/.test(s) ? "*" : /^\[.+\]$/.test(s) ? `:${s.slice(1, -1)}` : s));
  return `/${segments.join("/")}`;
}

export type AppRoute = { file: string; pattern: string };

export function routeFiles(): AppRoute[] {
  return walk(APP)
    .filter((f) => /[/\\]route\.(ts|tsx|js)$/.test(f))
    .map((file) => ({ file, pattern: urlPattern(file) }))
    .sort((a, b) => a.pattern.localeCompare(b.pattern));
}

export function pageFiles(): AppRoute[] {
  return walk(APP)
    .filter((f) => /[/\\]page\.(ts|tsx|js|jsx)$/.test(f))
    .map((file) => ({ file, pattern: urlPattern(file).replace(/^\/$/, "/") }))
    .sort((a, b) => a.pattern.localeCompare(b.pattern));
}

/** A concrete URL for a pattern: placeholders become values that exist nowhere. */
export function concretePath(pattern: string): { path: string; params: Record<string, string | string[]> } {
  const params: Record<string, string | string[]> = {};
  const out = pattern.split("/").map((segment) => {
    if (segment === "*") {
      params.all = ["get-session"];
      return "get-session";
    }
    if (segment.startsWith(":")) {
      const value = segment === ":key" ? `${"0".repeat(64)}.png` : "00000000-0000-4000-8000-000000000000";
      params[segment.slice(1)] = value;
      return value;
    }
    return segment;
  });
  return { path: out.join("/"), params };
}
