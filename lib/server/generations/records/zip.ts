import "server-only";

import { Readable } from "node:stream";
import archiver from "archiver";
import { and, asc, inArray, isNotNull, or } from "drizzle-orm";

import { MAX_DOWNLOAD_ITEMS, type DownloadSelection } from "@/lib/scene/generation";

import type { Db } from "../../db/client";
import { generationOutputs, generations } from "../../db/schema/generations";
import { errors } from "../../errors";
import { log } from "../../log";
import type { ObjectStore } from "../../storage";
import { isGenerationId } from "./records";

export type ZipSelection = DownloadSelection;

/**
 * Names chosen by the caller instead of `backdrop-<id>/<n>.<ext>`: each output's path without its
 * extension, and text files to put beside them (a campaign's requests).
 */
export type ZipNaming = {
  outputs: ReadonlyMap<string, string>;
  texts: readonly { name: string; text: string }[];
};

type Entry = { key: string; name: string };

async function entriesFor(
  db: Db,
  selection: ZipSelection,
  naming?: ZipNaming,
): Promise<{ entries: Entry[]; requests: Map<string, unknown> }> {
  const byGeneration = selection.generation.filter(isGenerationId);
  const byOutput = selection.output.filter(isGenerationId);
  const wanted = [
    ...(byGeneration.length ? [inArray(generationOutputs.generationId, byGeneration)] : []),
    ...(byOutput.length ? [inArray(generationOutputs.id, byOutput)] : []),
  ];
  const rows = await db
    .select()
    .from(generationOutputs)
    .where(and(isNotNull(generationOutputs.fileKey), or(...wanted)))
    .orderBy(asc(generationOutputs.generationId), asc(generationOutputs.index))
    // A caller that names every output has chosen them itself (a campaign's approved outputs).
    .limit(naming ? Math.max(1, naming.outputs.size) : MAX_DOWNLOAD_ITEMS);
  const requests = new Map<string, unknown>();
  if (byGeneration.length) {
    const found = await db
      .select({ id: generations.id, request: generations.request })
      .from(generations)
      .where(inArray(generations.id, byGeneration));
    for (const g of found) requests.set(g.id, g.request);
  }
  const entries = rows.flatMap((r) => {
    if (!r.fileKey) return [];
    const ext = r.fileKey.slice(r.fileKey.lastIndexOf(".") + 1);
    const named = naming?.outputs.get(r.id);
    return [
      {
        key: r.fileKey,
        name: named ? `${named}.${ext}` : `backdrop-${r.generationId.slice(0, 8)}/${r.index + 1}.${ext}`,
      },
    ];
  });
  return { entries, requests };
}

/**
 * A zip of the selected outputs (and each whole generation's request as JSON), streamed file by file
 * from storage: memory use does not grow with the selection. Images are stored, not deflated again.
 */
export async function zipStream(
  db: Db,
  store: ObjectStore,
  selection: ZipSelection,
  naming?: ZipNaming,
): Promise<ReadableStream<Uint8Array>> {
  const { entries, requests } = await entriesFor(db, selection, naming);
  if (entries.length === 0) throw errors.notFound("No stored output in the selection");
  const archive = archiver("zip", { store: true });
  archive.on("warning", (error) => log.warn("zip warning", { error: error.message }));
  archive.on("error", (error) => log.error("zip failed", { error: error.message }));
  void (async () => {
    try {
      for (const { name, text } of naming?.texts ?? []) archive.append(text, { name });
      for (const [id, request] of requests) {
        archive.append(JSON.stringify(request, null, 2), { name: `backdrop-${id.slice(0, 8)}/request.json` });
      }
      for (const entry of entries) {
        const body = await store.stream(entry.key);
        if (!body) continue;
        // archiver reads its inputs one after another, so only one file is open at a time.
        archive.append(Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>), {
          name: entry.name,
        });
      }
      await archive.finalize();
    } catch (error) {
      archive.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  })();
  return Readable.toWeb(archive) as ReadableStream<Uint8Array>;
}
