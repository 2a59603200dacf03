import "server-only";

import { itemStem } from "@/lib/scene/campaign";
import type { ExportRequest } from "@/lib/scene/export";

import { campaigns } from "../campaigns";
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
    approvedOutputs: async (id) => approvedOf(await campaigns.get(id)),
  };
}

/** A campaign's approved, stored outputs by id, each with its item's file name stem, in board order. */
export function approvedOf(campaign: Awaited<ReturnType<typeof campaigns.get>>): Map<string, string> {
  const approved = new Map<string, string>();
  for (const item of campaign.items) {
    for (const output of item.outputs) {
      if (output.review?.verdict === "approved" && output.url) approved.set(output.id, itemStem(item.names));
    }
  }
  return approved;
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
