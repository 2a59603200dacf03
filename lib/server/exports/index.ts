import "server-only";

import type { ExportRequest } from "@/lib/scene/export";

import { getConfig } from "../config";
import { generations } from "../generations";
import { objectStoreFor } from "../storage";
import { checkExport, zipExport, type ExportDeps } from "./export";

function deps(): ExportDeps {
  const config = getConfig();
  return {
    config,
    store: objectStoreFor(config.DATA_DIR),
    storedOutputs: (ids) => generations.storedOutputs(ids),
  };
}

/**
 * Channel exports' one door: stored outputs post-processed to channel presets with their compliance
 * checks. Nothing here calls an engine; the same outputs and presets always make the same files.
 */
export const channelExports = {
  /** Each file's checks, without making the zip. */
  check(request: ExportRequest) {
    return checkExport(deps(), request);
  },

  /** A zip with a folder per preset and `report.csv`, streamed file by file. */
  zip(request: ExportRequest) {
    return zipExport(deps(), request);
  },
};
