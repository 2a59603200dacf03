import "server-only";

import { ConfigError, getConfig } from "./config";
import { log } from "./log";
import { isStopping, shutDownOnStopSignals } from "./shutdown";

type StartupHook = () => Promise<void>;
const hooks: { name: string; run: StartupHook }[] = [];

/** Start-up work (migrations, recovery of interrupted jobs) registers here and runs in order. */
export function onStartup(name: string, run: StartupHook) {
  hooks.push({ name, run });
}

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
  await import("./startup-tasks");
  for (const hook of hooks) {
    try {
      await hook.run();
    } catch (error) {
      // A stop signal during start-up closes the database under this step; the stop exits by itself.
      if (isStopping()) return;
      process.stderr.write(
        `Start-up step "${hook.name}" failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exit(1);
    }
  }
}
