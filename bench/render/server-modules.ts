/**
 * Outside Next's react-server build `server-only` throws on import. A benchmark is server code run
 * directly, so it takes the package's own react-server entry (empty) before loading any server module.
 */
import Module from "node:module";
import path from "node:path";

const resolved = require.resolve("server-only");
const empty = path.join(path.dirname(resolved), "empty.js");
const cached = new Module(resolved);
cached.filename = resolved;
cached.loaded = true;
cached.exports = require(empty);
require.cache[resolved] = cached;
