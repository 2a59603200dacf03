import "server-only";

import { getConfig, type Config } from "../config";
import { getDatabase, type Db } from "../db/client";
import { objectStoreFor, type ObjectStore } from "../storage";

/** What the campaign wing works with; generations themselves go through the generation wing's door. */
export type CampaignDeps = { db: Db; store: ObjectStore; config: Config };

export async function campaignDeps(config: Config = getConfig()): Promise<CampaignDeps> {
  const { db } = await getDatabase(config);
  return { db, store: objectStoreFor(config.DATA_DIR), config };
}
