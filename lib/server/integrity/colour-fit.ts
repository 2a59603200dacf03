/**
 * The global relighting between the product and an output, fitted on tile means: a gain per channel
 * (exposure and white balance) and one shared offset (haze, lifted blacks). Robust (Cauchy weights),
 * so a recoloured part is an outlier rather than something the fit bends to, and bounded, so no fit
 * turns one colour into another.
 */
export type ColourFit = { gain: [number, number, number]; offset: number };

export type TileMeans = {
  weight: number;
  output: [number, number, number];
  product: [number, number, number];
};

const MEAN_GAIN = { min: 0.6, max: 1.6 } as const;
/** Largest white-balance shift: a channel's gain over the mean gain. */
const BALANCE = { min: 0.75, max: 1.33 } as const;
const MAX_OFFSET = 30;
/** Residual (per channel, 0..255) at which a tile's weight halves. */
const CAUCHY_SCALE = 12;
const ITERATIONS = 4;

function solve4(a: number[][], b: number[]): number[] | undefined {
  const n = 4;
  const m = a.map((row, i) => [...row, b[i] ?? 0]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]?.[c] ?? 0) > Math.abs(m[pivot]?.[c] ?? 0)) pivot = r;
    const pr = m[pivot];
    const cr = m[c];
    if (!pr || !cr || Math.abs(pr[c] ?? 0) < 1e-12) return undefined;
    m[pivot] = cr;
    m[c] = pr;
    for (let r = 0; r < n; r++) {
      const row = m[r];
      if (r === c || !row) continue;
      const f = (row[c] ?? 0) / (pr[c] ?? 1);
      for (let k = c; k <= n; k++) row[k] = (row[k] ?? 0) - f * (pr[k] ?? 0);
    }
  }
  return m.map((row, i) => (row[n] ?? 0) / (row[i] ?? 1));
}

function bounded(raw: number[]): ColourFit {
  const g = [raw[0] ?? 1, raw[1] ?? 1, raw[2] ?? 1];
  const mean = Math.min(MEAN_GAIN.max, Math.max(MEAN_GAIN.min, (g[0]! + g[1]! + g[2]!) / 3));
  const each = g.map((x) => mean * Math.min(BALANCE.max, Math.max(BALANCE.min, x / mean))) as [
    number,
    number,
    number,
  ];
  return { gain: each, offset: Math.min(MAX_OFFSET, Math.max(-MAX_OFFSET, raw[3] ?? 0)) };
}

export function applyFit(fit: ColourFit, rgb: readonly [number, number, number]): [number, number, number] {
  return [
    fit.gain[0] * rgb[0] + fit.offset,
    fit.gain[1] * rgb[1] + fit.offset,
    fit.gain[2] * rgb[2] + fit.offset,
  ];
}

export function fitColour(tiles: readonly TileMeans[]): ColourFit {
  let fit: ColourFit = { gain: [1, 1, 1], offset: 0 };
  const robust = tiles.map(() => 1);
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const a = [
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ];
    const b = [0, 0, 0, 0];
    let total = 0;
    tiles.forEach((t, i) => {
      const w = t.weight * (robust[i] ?? 1);
      total += w;
      for (let c = 0; c < 3; c++) {
        const p = t.product[c] ?? 0;
        const o = t.output[c] ?? 0;
        a[c]![c]! += w * p * p;
        a[c]![3]! += w * p;
        a[3]![c]! += w * p;
        b[c]! += w * p * o;
        b[3]! += w * o;
      }
      a[3]![3]! += 3 * w;
    });
    if (total <= 0) return fit;
    // The offset is held back, so a product of one colour is explained by its gains, not by an offset.
    a[3]![3]! += 0.5 * total;
    const raw = solve4(a, b);
    if (!raw) return fit;
    fit = bounded(raw);
    tiles.forEach((t, i) => {
      const predicted = applyFit(fit, t.product);
      const d = Math.hypot(
        t.output[0] - predicted[0],
        t.output[1] - predicted[1],
        t.output[2] - predicted[2],
      );
      const u = d / CAUCHY_SCALE;
      robust[i] = 1 / (1 + u * u);
    });
  }
  return fit;
}
