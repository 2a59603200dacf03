/** Luma (Rec. 601, as JPEG codes it) and two opponent colour differences. */
export function luma(r: number, g: number, b: number): number {
  return 0.299 * r + 0.587 * g + 0.114 * b;
}

export type Yuv = { width: number; height: number; y: Float32Array; u: Float32Array; v: Float32Array };

export function yuvOf(planes: {
  width: number;
  height: number;
  r: Float32Array;
  g: Float32Array;
  b: Float32Array;
}): Yuv {
  const n = planes.width * planes.height;
  const y = new Float32Array(n);
  const u = new Float32Array(n);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const r = planes.r[i] ?? 0;
    const g = planes.g[i] ?? 0;
    const b = planes.b[i] ?? 0;
    const l = luma(r, g, b);
    y[i] = l;
    u[i] = b - l;
    v[i] = r - l;
  }
  return { width: planes.width, height: planes.height, y, u, v };
}
