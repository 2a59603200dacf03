// Whether `.next` holds a build of the sources as they are now: a hash of every file the build reads,
// written beside the build. Keyed on content, not on git, so an install or a checkout that leaves the
// sources alone never causes a rebuild, and an edit always does.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** What `next build` reads: folders walked whole, plus single files. */
export const BUILD_INPUTS = [
  "app",
  "components",
  "lib",
  "public",
  "proxy.ts",
  "instrumentation.ts",
  "next.config.mjs",
  "postcss.config.mjs",
  "tailwind.config.ts",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
];
const SKIP = new Set(["node_modules", ".next", ".git"]);
const STAMP = path.join(".next", "backdrop-build-inputs");

function filesUnder(root, relative, out) {
  const full = path.join(root, relative);
  let stat;
  try {
    stat = fs.statSync(full);
  } catch {
    return;
  }
  if (stat.isFile()) {
    out.push(relative);
    return;
  }
  if (!stat.isDirectory()) return;
  for (const name of fs.readdirSync(full)) {
    if (!SKIP.has(name)) filesUnder(root, path.join(relative, name), out);
  }
}

/** A hash over the path and content of every build input under `root`. */
export function buildInputsHash(root = process.cwd()) {
  const files = [];
  for (const input of BUILD_INPUTS) filesUnder(root, input, files);
  const hash = createHash("sha256");
  for (const file of files.sort()) {
    hash.update(`${file.split(path.sep).join("/")}\0`);
    hash.update(fs.readFileSync(path.join(root, file)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

/** True when `.next` under `root` is a complete build of the current inputs. */
export function isBuilt(root = process.cwd()) {
  const stamp = path.join(root, STAMP);
  return (
    fs.existsSync(path.join(root, ".next", "BUILD_ID")) &&
    fs.existsSync(stamp) &&
    fs.readFileSync(stamp, "utf8") === buildInputsHash(root)
  );
}

/** Records that `.next` under `root` was just built from the current inputs. */
export function markBuilt(root = process.cwd()) {
  fs.writeFileSync(path.join(root, STAMP), buildInputsHash(root));
}
