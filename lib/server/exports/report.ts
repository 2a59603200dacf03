import { CHECK_IDS, type ExportFile } from "@/lib/scene/export";

const COLUMNS = [
  "file",
  "preset",
  "output_id",
  "generation_id",
  "width",
  "height",
  "format",
  "enlarged",
  "integrity",
  "ok",
  ...CHECK_IDS,
  "notes",
] as const;

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
function field(value: string | number | boolean | null): string {
  const text = value === null ? "" : String(value);
  // A leading = + - @ makes spreadsheets run the cell as a formula; a quote mark keeps it text.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * `report.csv`: one row per file with each check's status (empty where a preset has no such check)
 * and, in `notes`, what every check that did not pass says.
 */
export function reportCsv(files: readonly ExportFile[]): string {
  const lines = [COLUMNS.join(",")];
  for (const file of files) {
    const status = new Map(file.checks.map((c) => [c.id, c.status]));
    const notes = file.checks
      .filter((c) => c.status !== "pass")
      .map((c) => `${c.id}: ${c.message}`)
      .join("; ");
    const row = [
      file.name,
      file.preset,
      file.output_id,
      file.generation_id,
      file.width,
      file.height,
      file.format,
      file.enlarged,
      file.integrity,
      file.ok,
      ...CHECK_IDS.map((id) => status.get(id) ?? null),
      notes,
    ];
    lines.push(row.map(field).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}
