"use client";

import { useEffect, useState } from "react";

import { Modal } from "@/components/gallery/modal";
import { IntegrityBadge } from "@/components/integrity/integrity-badge";
import { Button } from "@/components/ui/button";
import { controlClass } from "@/components/ui/field";
import { failureMessage, fieldError } from "@/lib/client/request";
import { useExportChecks, useExportDownload } from "@/lib/client/use-export";
import {
  CHECK_LABELS,
  EXPORT_FITS,
  EXPORT_FORMATS,
  MAX_SIDE,
  MIN_SIDE,
  PRESET_NAMES,
  PRESETS,
  type ExportBody,
  type ExportCheck,
  type ExportFile,
  type ExportFit,
  type ExportFormat,
  type PresetName,
} from "@/lib/scene/export";

/** What is exported: chosen images, or a campaign's approved ones. */
export type ExportTarget = { outputs: string[] } | { campaign: string };

type Custom = { on: boolean; width: number; height: number; format: ExportFormat; fit: ExportFit };

const FIT_LABELS: Record<ExportFit, string> = {
  contain: "Contain (whole image, padded)",
  cover: "Cover (fill the frame, cropped)",
  product: "Product (framed around the product)",
};

const TONES: Record<ExportCheck["status"], string> = {
  pass: "bg-accent-soft text-accent-strong",
  warn: "bg-draft-soft text-draft",
  fail: "bg-danger-soft text-danger",
  info: "bg-canvas text-ink-muted",
};
const MARKS: Record<ExportCheck["status"], string> = { pass: "✓", warn: "!", fail: "✕", info: "i" };

function bodyOf(
  target: ExportTarget,
  chosen: readonly PresetName[],
  custom: Custom,
  allowUpscale: boolean,
): ExportBody {
  const presets: ExportBody["presets"] = [...chosen];
  if (custom.on) {
    presets.push({
      preset: "custom",
      width: custom.width,
      height: custom.height,
      format: custom.format,
      fit: custom.fit,
    });
  }
  return { ...target, presets, allow_upscale: allowUpscale };
}

function CheckPill({ check }: { check: ExportCheck }) {
  return (
    <li
      data-check={check.id}
      data-status={check.status}
      title={check.message}
      className={`rounded px-1.5 py-0.5 text-[11px] font-medium ${TONES[check.status]}`}
    >
      <span aria-hidden>{MARKS[check.status]} </span>
      {CHECK_LABELS[check.id]}
      <span className="sr-only">
        : {check.status}. {check.message}
      </span>
    </li>
  );
}

function FileRow({ file }: { file: ExportFile }) {
  const problems = file.checks.filter((c) => c.status === "fail" || c.status === "warn");
  return (
    <li
      data-testid="export-file"
      data-name={file.name}
      data-ok={file.ok}
      className="flex flex-col gap-1 border-b border-canvas-line py-2 last:border-b-0"
    >
      <div className="flex flex-wrap items-center gap-2 text-xs">
        <span className="font-mono">{file.name.split("/").at(-1)}</span>
        <span className="text-ink-muted">
          {file.width} × {file.height}
        </span>
        <IntegrityBadge verdict={file.integrity} />
        <span className={`ml-auto font-medium ${file.ok ? "text-accent-strong" : "text-danger"}`}>
          {file.ok ? "Ready" : "Fails a check"}
        </span>
      </div>
      <ul className="flex flex-wrap gap-1" aria-label="Checks">
        {file.checks.map((check) => (
          <CheckPill key={check.id} check={check} />
        ))}
      </ul>
      {problems.length > 0 ? (
        <ul className="text-[11px] text-ink-soft">
          {problems.map((check) => (
            <li key={check.id}>{check.message}</li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

/** The files of each preset, with how many are ready. */
function Results({ files }: { files: readonly ExportFile[] }) {
  const folders = [...new Set(files.map((f) => f.preset))];
  const ready = files.filter((f) => f.ok).length;
  return (
    <div className="flex flex-col gap-3" data-testid="export-results">
      <p className="text-sm" data-testid="export-summary">
        {ready} of {files.length} file{files.length === 1 ? "" : "s"} pass every check
      </p>
      {folders.map((folder) => (
        <section key={folder} aria-label={folder} className="rounded-md border border-canvas-line px-3">
          <h3 className="pt-2 text-xs font-semibold">{folder}/</h3>
          <ul>
            {files
              .filter((f) => f.preset === folder)
              .map((file) => (
                <FileRow key={file.name} file={file} />
              ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

/**
 * Choose channel presets for images (or a campaign's approved set), see each file's compliance
 * checks as the export would make it, and download the zip (a folder per preset and report.csv).
 */
export function ExportDialog({
  open,
  onClose,
  target,
  description,
}: {
  open: boolean;
  onClose: () => void;
  target: ExportTarget;
  /** What is being exported, in words ("3 images", "the approved images of Spring"). */
  description: string;
}) {
  return (
    <Modal open={open} onClose={onClose} labelledBy="export-title" testId="export-dialog">
      <ExportForm target={target} description={description} onClose={onClose} />
    </Modal>
  );
}

function ExportForm({
  target,
  description,
  onClose,
}: {
  target: ExportTarget;
  description: string;
  onClose: () => void;
}) {
  const [chosen, setChosen] = useState<PresetName[]>(["amazon-main"]);
  const [custom, setCustom] = useState<Custom>({
    on: false,
    width: 1200,
    height: 1200,
    format: "jpeg",
    fit: "contain",
  });
  const [allowUpscale, setAllowUpscale] = useState(false);
  const checks = useExportChecks();
  const download = useExportDownload();
  const body = bodyOf(target, chosen, custom, allowUpscale);
  const key = JSON.stringify(body);
  const nothing = body.presets.length === 0;
  const { mutate: check } = checks;
  useEffect(() => {
    if (nothing) return;
    // A pause after the last change, so typing a custom size is not a request per key.
    const timer = setTimeout(() => check(JSON.parse(key) as ExportBody), 250);
    return () => clearTimeout(timer);
  }, [key, nothing, check]);
  const toggle = (name: PresetName) =>
    setChosen((c) => (c.includes(name) ? c.filter((n) => n !== name) : [...c, name]));
  const customError =
    fieldError(checks.error, "presets." + chosen.length + ".width") ??
    fieldError(checks.error, "presets." + chosen.length + ".height");

  return (
    <div className="flex max-h-[92dvh] w-[min(900px,94vw)] flex-col">
      <header className="flex items-start gap-3 border-b border-canvas-line p-4">
        <div className="flex flex-1 flex-col gap-0.5">
          <h2 id="export-title" className="text-base font-semibold">
            Export for channels
          </h2>
          <p className="text-xs text-ink-muted">
            {description}: resized and checked for each channel. Nothing is generated again.
          </p>
        </div>
        <Button variant="ghost" onClick={onClose} aria-label="Close">
          ✕
        </Button>
      </header>
      <div className="grid min-h-0 flex-1 gap-4 overflow-auto p-4 md:grid-cols-[2fr_3fr]">
        <fieldset className="flex flex-col gap-2 text-sm">
          <legend className="mb-1 text-xs font-semibold tracking-wide text-ink-soft uppercase">
            Presets
          </legend>
          {PRESET_NAMES.map((name) => (
            <label key={name} className="flex items-center gap-2">
              <input
                type="checkbox"
                className="size-4 accent-accent"
                checked={chosen.includes(name)}
                onChange={() => toggle(name)}
              />
              <span>{PRESETS[name].label}</span>
              <span className="text-xs text-ink-muted">
                {PRESETS[name].width} × {PRESETS[name].height} {PRESETS[name].format.toUpperCase()}
              </span>
            </label>
          ))}
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              className="size-4 accent-accent"
              checked={custom.on}
              onChange={(e) => setCustom((c) => ({ ...c, on: e.target.checked }))}
            />
            <span>Custom size</span>
          </label>
          {custom.on ? (
            <div className="ml-6 grid grid-cols-2 gap-2 text-xs">
              <label className="flex flex-col gap-1">
                Width (px)
                <input
                  type="number"
                  className={controlClass}
                  min={MIN_SIDE}
                  max={MAX_SIDE}
                  value={custom.width}
                  onChange={(e) => setCustom((c) => ({ ...c, width: Number(e.target.value) }))}
                />
              </label>
              <label className="flex flex-col gap-1">
                Height (px)
                <input
                  type="number"
                  className={controlClass}
                  min={MIN_SIDE}
                  max={MAX_SIDE}
                  value={custom.height}
                  onChange={(e) => setCustom((c) => ({ ...c, height: Number(e.target.value) }))}
                />
              </label>
              <label className="flex flex-col gap-1">
                Format
                <select
                  className={controlClass}
                  value={custom.format}
                  onChange={(e) => setCustom((c) => ({ ...c, format: e.target.value as ExportFormat }))}
                >
                  {EXPORT_FORMATS.map((f) => (
                    <option key={f} value={f}>
                      {f.toUpperCase()}
                    </option>
                  ))}
                </select>
              </label>
              <label className="flex flex-col gap-1">
                Fit
                <select
                  className={controlClass}
                  value={custom.fit}
                  onChange={(e) => setCustom((c) => ({ ...c, fit: e.target.value as ExportFit }))}
                >
                  {EXPORT_FITS.map((f) => (
                    <option key={f} value={f}>
                      {FIT_LABELS[f]}
                    </option>
                  ))}
                </select>
              </label>
              {customError ? (
                <p role="alert" className="col-span-2 text-danger">
                  {customError}
                </p>
              ) : null}
            </div>
          ) : null}
          <label className="mt-2 flex items-start gap-2">
            <input
              type="checkbox"
              className="mt-0.5 size-4 accent-accent"
              checked={allowUpscale}
              onChange={(e) => setAllowUpscale(e.target.checked)}
            />
            <span>
              Enlarge images smaller than a preset
              <span className="block text-xs text-ink-muted">
                Off: they keep their size and fail the size check. On: enlarged, and the check says so.
              </span>
            </span>
          </label>
        </fieldset>
        <section aria-label="Checks" aria-live="polite" className="min-w-0">
          {nothing ? (
            <p className="text-sm text-ink-muted">Choose at least one preset.</p>
          ) : checks.isError ? (
            <p role="alert" className="text-sm text-danger">
              {failureMessage(checks.error, "The checks could not be made")}
            </p>
          ) : checks.data ? (
            <div className={checks.isPending ? "opacity-60" : ""}>
              <Results files={checks.data.files} />
            </div>
          ) : (
            <p className="text-sm text-ink-muted">Checking…</p>
          )}
        </section>
      </div>
      <footer className="flex flex-wrap items-center gap-2 border-t border-canvas-line p-4">
        {download.isError ? (
          <p role="alert" className="text-sm text-danger">
            {failureMessage(download.error, "The export could not be made")}
          </p>
        ) : download.isSuccess ? (
          <p role="status" className="text-sm text-ink-soft">
            Saved {download.data.filename}
          </p>
        ) : null}
        <Button className="ml-auto" variant="ghost" onClick={onClose}>
          Close
        </Button>
        <Button
          variant="primary"
          disabled={nothing || download.isPending}
          onClick={() => download.mutate(body)}
        >
          {download.isPending ? "Exporting…" : "Download zip"}
        </Button>
      </footer>
    </div>
  );
}
