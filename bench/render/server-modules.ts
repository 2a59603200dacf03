/**
 * Outside Next's react-server build `server-only` throws on import. A benchmark is server code run
 * directly, so the package is registered as already loaded (its react-server entry is empty) before any
 * server module is imported.
 */
import Module from "node:module";

const resolved = require.resolve("server-only");
const loaded = new Module(resolved);
loaded.filename = resolved;
loaded.loaded = true;
loaded.exports = {};
require.cache[resolved] = loaded;
