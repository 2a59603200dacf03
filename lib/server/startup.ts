import "server-only";

import { ConfigError, getConfig } from "./config";
import { generations } from "./generations";
import { log } from "./log";
import { isStopping, shutDownOnStopSignals } from "./shutdown";

/**
 * The server's start: a wrong configuration stops it with a message naming the variable; stop signals
 * are handled from here on; then the database opens (applying migrations), what a stopped process
 * left is recovered and the worker starts, before any request is served.
 */
export async function startServer() {
  try {
    const config = getConfig();
    shutDownOnStopSignals(config.SHUTDOWN_TIMEOUT_MS);
    log.info("configuration loaded", {
      defaultEngine: config.DEFAULT_ENGINE,
      claidConfigured: Boolean(config.CLAID_API_KEY),
      dataDir: config.DATA_DIR,
      database: config.DATABASE_URL ? "postgres" : "pglite",
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`\n${error.message}\n\nFix the environment and start again.\n\n`);
      process.exit(1);
    }
    throw error;
  }
  try {
    await generations.start();
  } catch (error) {
    // A stop signal during start-up closes the database under this step; the stop exits by itself.
    if (isStopping()) return;
    process.stderr.write(
      `Start-up failed: the generation history could not be opened or recovered: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  }
}
