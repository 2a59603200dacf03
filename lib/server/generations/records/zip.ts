import "server-only";

import { Readable } from "node:stream";
import archiver from "archiver";
import { and, asc, inArray, isNotNull, or } from "drizzle-orm";

import { generationFolderName, outputFileStem } from "@/lib/scene/download-name";
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
): Promise<{ entries: Entry[]; requests: Map<string, { folder: string; request: unknown }> }> {
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
  // Every generation in the zip names its folder and files after its request.
  const ids = [...new Set([...byGeneration, ...rows.map((r) => r.generationId)])];
  const found = ids.length
    ? await db
        .select({ id: generations.id, request: generations.request })
        .from(generations)
        .where(inArray(generations.id, ids))
    : [];
  const requestOf = new Map(found.map((g) => [g.id, g.request]));
  const folderOf = (id: string) => {
    const request = requestOf.get(id);
    return request ? generationFolderName(request, id) : `backdrop-${id.slice(0, 8)}`;
  };
  const requests = new Map<string, { folder: string; request: unknown }>();
  for (const id of byGeneration) {
    const request = requestOf.get(id);
    if (request) requests.set(id, { folder: folderOf(id), request });
  }
  const entries = rows.flatMap((r) => {
    if (!r.fileKey) return [];
    const ext = r.fileKey.slice(r.fileKey.lastIndexOf(".") + 1);
    const named = naming?.outputs.get(r.id);
    if (named) return [{ key: r.fileKey, name: `${named}.${ext}` }];
    const request = requestOf.get(r.generationId);
    const stem = request ? outputFileStem(request, r.index) : String(r.index + 1);
    return [{ key: r.fileKey, name: `${folderOf(r.generationId)}/${stem}.${ext}` }];
  });
  return { entries, requests };
}

/** Resolves once the archive has written entry `name`; rejects when it fails or is closed first. */
function written(archive: archiver.Archiver, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onEntry = (data: archiver.EntryData) => {
      if (data.name !== name) return;
      done();
      resolve();
    };
    const onEnd = (error?: Error) => {
      done();
      reject(error ?? new Error("the archive closed"));
    };
    const done = () => {
      archive.off("entry", onEntry);
      archive.off("error", onEnd);
      archive.off("close", onEnd);
    };
    archive.on("entry", onEntry);
    archive.on("error", onEnd);
    archive.on("close", onEnd);
  });
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
      for (const { folder, request } of requests.values()) {
        archive.append(JSON.stringify(request, null, 2), { name: `${folder}/request.json` });
      }
      for (const entry of entries) {
        const body = await store.stream(entry.key);
        if (!body) continue;
        // One file open at a time (one connection to a bucket), at the pace the client reads the zip:
        // the next is opened only once the archive has written this one.
        const done = written(archive, entry.name);
        archive.append(Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>), {
          name: entry.name,
        });
        await done;
      }
      await archive.finalize();
    } catch (error) {
      archive.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  })();
  return Readable.toWeb(archive) as ReadableStream<Uint8Array>;
}
