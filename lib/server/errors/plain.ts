/** Sizes and durations as a person reads them in a message: "25 MB", "1.5 MB", "15 s", "50 megapixels". */
export function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  if (mb >= 1) return `${Number.isInteger(mb) ? mb : mb.toFixed(1).replace(/\.0$/, "")} MB`;
  const kb = bytes / 1024;
  return kb >= 1 ? `${Math.round(kb)} KB` : `${bytes} bytes`;
}

export function seconds(ms: number): string {
  const s = ms / 1000;
  return s >= 1 ? `${Number.isInteger(s) ? s : s.toFixed(1)} s` : `${ms} ms`;
}

export function megapixels(pixels: number): string {
  const mp = pixels / 1_000_000;
  return `${Number.isInteger(mp) ? mp : mp.toFixed(1)} megapixels`;
}
