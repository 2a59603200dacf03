import "server-only";

import { onStartup } from "../startup";
import { ensureWorker } from "./index";

// Opening the database applies pending migrations; then interrupted work is recovered and the worker starts.
onStartup("generation history and jobs", async () => {
  await ensureWorker();
});
