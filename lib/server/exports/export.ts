import "server-only";

import { Readable } from "node:stream";
import archiver from "archiver";

import {
  MAX_EXPORT_FILES,
  presetFolder,
  presetSpec,
  type ExportCheckAnswer,
  type ExportFile,
  type ExportRequest,
  type PresetChoice,
  type PresetSpec,
} from "@/lib/scene/export";

import type { Config } from "../config";
import { errors } from "../errors";
import type { StoredOutput } from "../generations";
import { imageWorkQueue } from "../images/work-queue";
import { log } from "../log";
import type { ObjectStore } from "../storage";
import { numbered, stemsOf } from "./names";
import { renderExport } from "./render";
import { reportCsv } from "./report";

export type ExportDeps = {
  config: Config;
  store: ObjectStore;
  storedOutputs: (ids: readonly string[]) => Promise<StoredOutput[]>;
  /**
   * A campaign's approved outputs, in the campaign's order, each with its item's name
   * (`<product>-<scene>-<ratio>`); 404 for a campaign that does not exist.
   */
  approvedOutputs: (campaignId: string) => Promise<Map<string, string>>;
};

/** What an export is made of: the outputs, and the names their files take when they are not derived. */
type Selection = { sources: StoredOutput[]; stems?: ReadonlyMap<string, string> };

/** One file of the export: which output, through which preset, under which name. */
type PlannedFile = { source: StoredOutput; folder: string; spec: PresetSpec; name: string };

const EXTENSIONS = { jpeg: "jpg", png: "png", webp: "webp" } as const;

/** Each preset once, each with a folder of its own. */
function distinctPresets(presets: readonly PresetChoice[]): { folder: string; spec: PresetSpec }[] {
  const seen = new Map<string, number>();
  const out: { folder: string; spec: PresetSpec }[] = [];
  const keys = new Set<string>();
  for (const preset of presets) {
    const key = JSON.stringify(preset);
    if (keys.has(key)) continue;
    keys.add(key);
    const base = presetFolder(preset);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    out.push({ folder: n === 1 ? base : `${base}-${n}`, spec: presetSpec(preset) });
  }
  return out;
}

/** Folder by folder, every output in order, named `<product>-<scene>-<ratio>-<n>.<ext>`. */
export function planFiles(
  sources: readonly StoredOutput[],
  presets: readonly PresetChoice[],
  named?: ReadonlyMap<string, string>,
): PlannedFile[] {
  const stems = named ?? stemsOf(sources);
  const files: PlannedFile[] = [];
  for (const { folder, spec } of distinctPresets(presets)) {
    const name = numbered();
    for (const source of sources) {
      const stem = name(stems.get(source.outputId) ?? "image");
      files.push({ source, folder, spec, name: `${folder}/${stem}.${EXTENSIONS[spec.format]}` });
    }
  }
  return files;
}

/**
 * The outputs an export asks for. Chosen ids must all be stored images (404 naming those that are
 * not, rather than a zip quietly missing them); a campaign must have approved images still stored.
 */
async function selectionOf(deps: ExportDeps, request: ExportRequest): Promise<Selection> {
  if (request.campaign !== undefined) {
    const approved = await deps.approvedOutputs(request.campaign);
    const stored = await deps.storedOutputs([...approved.keys()]);
    if (stored.length === 0) throw errors.nothingApprovedToExport();
    const order = [...approved.keys()];
    const sources = stored.sort((a, b) => order.indexOf(a.outputId) - order.indexOf(b.outputId));
    return { sources, stems: approved };
  }
  const ids = request.outputs ?? [];
  const sources = await deps.storedOutputs(ids);
  const found = new Set(sources.map((s) => s.outputId));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) throw errors.unknownOutputs(missing);
  return { sources };
}

async function plan(deps: ExportDeps, request: ExportRequest): Promise<PlannedFile[]> {
  const { sources, stems } = await selectionOf(deps, request);
  const files = sources.length * distinctPresets(request.presets).length;
  if (files > MAX_EXPORT_FILES) throw errors.exportTooLarge(files, MAX_EXPORT_FILES);
  return planFiles(sources, request.presets, stems);
}

function describe(planned: PlannedFile, made: Awaited<ReturnType<typeof renderExport>>): ExportFile {
  return {
    output_id: planned.source.outputId,
    generation_id: planned.source.generationId,
    preset: planned.folder,
    name: planned.name,
    width: made.framing.output.width,
    height: made.framing.output.height,
    format: planned.spec.format,
    enlarged: made.framing.enlarged,
    integrity: planned.source.integrity?.verdict ?? null,
    checks: made.checks,
    ok: made.checks.every((c) => c.status !== "fail"),
  };
}

function unreadable(planned: PlannedFile, reason: string): ExportFile {
  return {
    output_id: planned.source.outputId,
    generation_id: planned.source.generationId,
    preset: planned.folder,
    name: planned.name,
    width: 0,
    height: 0,
    format: planned.spec.format,
    enlarged: null,
    integrity: planned.source.integrity?.verdict ?? null,
    checks: [{ id: "format", status: "fail", message: `This image could not be exported: ${reason}` }],
    ok: false,
  };
}

/**
 * Makes one file (in a decode slot shared with uploads, so exports and uploads together stay within
 * the server's image memory). Undefined bytes: the stored file is gone or unreadable, and the report
 * says so.
 */
async function make(
  deps: ExportDeps,
  planned: PlannedFile,
  allowUpscale: boolean,
): Promise<{ file: ExportFile; bytes?: Buffer }> {
  const bytes = await deps.store.get(planned.source.fileKey);
  if (!bytes) return { file: unreadable(planned, "its stored file is missing") };
  try {
    const made = await imageWorkQueue(deps.config).decodeSlot(() =>
      renderExport(bytes, planned.source, planned.spec, { allowUpscale }),
    );
    return { file: describe(planned, made), bytes: made.bytes };
  } catch (error) {
    log.warn("export of an output failed", {
      outputId: planned.source.outputId,
      error: error instanceof Error ? error.message : String(error),
    });
    return { file: unreadable(planned, "the stored image could not be read") };
  }
}

/** Every file's checks, as the export would make it (the same work, nothing kept). */
export async function checkExport(deps: ExportDeps, request: ExportRequest): Promise<ExportCheckAnswer> {
  const files: ExportFile[] = [];
  for (const planned of await plan(deps, request)) {
    files.push((await make(deps, planned, request.allow_upscale)).file);
  }
  return { files };
}

/**
 * The export as a zip, streamed: each file is made only when the archive has taken the one before
 * (so memory holds one file at a time, however large the export), then `report.csv`. The selection
 * is read and checked before the answer starts, so a bad one is an error answer, not a broken zip.
 */
export async function zipExport(
  deps: ExportDeps,
  request: ExportRequest,
): Promise<ReadableStream<Uint8Array>> {
  const files = await plan(deps, request);
  const archive = archiver("zip", { store: true });
  archive.on("warning", (error) => log.warn("export zip warning", { error: error.message }));
  archive.on("error", (error) => log.error("export zip failed", { error: error.message }));
  void (async () => {
    try {
      const made: ExportFile[] = [];
      for (const planned of files) {
        const { file, bytes } = await make(deps, planned, request.allow_upscale);
        made.push(file);
        if (!bytes) continue;
        const taken = new Promise<void>((resolve) => archive.once("entry", () => resolve()));
        archive.append(bytes, { name: file.name });
        await taken;
      }
      archive.append(reportCsv(made), { name: "report.csv" });
      await archive.finalize();
    } catch (error) {
      archive.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  })();
  return Readable.toWeb(archive) as ReadableStream<Uint8Array>;
}
