import "server-only";

import { ownOrigins } from "./auth/csrf";
import { issueSetupCode, listensBeyondLoopback } from "./auth/setup-code";
import { ConfigError, getConfig, type Config } from "./config";
import { appDatabase } from "./db/client";
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
    await announceSetup(getConfig());
  } catch (error) {
    // A stop signal during start-up closes the database under this step; the stop exits by itself.
    if (isStopping()) return;
    process.stderr.write(
      `Start-up failed: the generation history could not be opened or recovered: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  }
}

/**
 * A server reachable from other machines answers only on its configured address, and a fresh one
 * prints the code its first admin needs, so whoever reaches it first cannot claim it.
 */
async function announceSetup(config: Config) {
  if (!listensBeyondLoopback(config)) return;
  if (!config.PUBLIC_BASE_URL && !config.AUTH_URL) {
    log.warn(
      "HOST is not a loopback address but neither PUBLIC_BASE_URL nor AUTH_URL is set: requests to any address other than 127.0.0.1, localhost or [::1] are refused",
      { host: config.HOST },
    );
  }
  const code = await issueSetupCode(await appDatabase(), config);
  if (!code) return;
  process.stdout.write(
    `\nThis install has no admin yet. To create one, open ${ownOrigins(config)[0]}/sign-in and enter the setup code\n\n    ${code}\n\nA new code is printed at every start until the first admin exists.\n\n`,
  );
}
