/**
 * A smooth background: per channel a polynomial in the image's normalised coordinates u, v ∈ [−1, 1]
 * (degree 2 for a gradient or a simple vignette, 4 to follow a vignette's steeper fall-off), fitted by
 * reweighted least squares with Tukey's biweight, so pixels that are not background do not pull it.
 */

export type Surface = {
  degree: number;
  /** Per channel, the coefficient of u^i v^j for every (i, j) of `termsOf(degree)`. */
  coefficients: Float64Array;
};

/** Colour samples for a fit: normalised positions and RGB. */
export type Samples = { count: number; u: Float64Array; v: Float64Array; rgb: Float64Array };

const termCache = new Map<number, Array<[number, number]>>();

export function termsOf(degree: number): Array<[number, number]> {
  let terms = termCache.get(degree);
  if (!terms) {
    terms = [];
    for (let total = 0; total <= degree; total++) for (let j = 0; j <= total; j++) terms.push([total - j, j]);
    termCache.set(degree, terms);
  }
  return terms;
}

export function normalised(x: number, size: number): number {
  return ((x + 0.5) / size) * 2 - 1;
}

/**
 * The surface along one row: for each channel c, `out[c · (degree + 1) + i]` is the coefficient of u^i,
 * so a pixel costs one short Horner evaluation per channel.
 */
export function rowPolynomial(surface: Surface, v: number, out: Float64Array): void {
  const { degree, coefficients } = surface;
  const terms = termsOf(degree);
  out.fill(0, 0, 3 * (degree + 1));
  for (let c = 0; c < 3; c++) {
    for (let t = 0; t < terms.length; t++) {
      const [i, j] = terms[t]!;
      out[c * (degree + 1) + i]! += coefficients[c * terms.length + t]! * v ** j;
    }
  }
}

export function evaluateRow(row: Float64Array, degree: number, channel: number, u: number): number {
  const o = channel * (degree + 1);
  let value = row[o + degree]!;
  for (let i = degree - 1; i >= 0; i--) value = value * u + row[o + i]!;
  return value;
}

export function surfaceAt(surface: Surface, u: number, v: number, channel: number): number {
  const terms = termsOf(surface.degree);
  let value = 0;
  for (let t = 0; t < terms.length; t++) {
    const [i, j] = terms[t]!;
    value += surface.coefficients[channel * terms.length + t]! * u ** i * v ** j;
  }
  return value;
}

export function constantSurface(colour: readonly number[]): Surface {
  const coefficients = new Float64Array(3);
  for (let c = 0; c < 3; c++) coefficients[c] = colour[c] ?? 0;
  return { degree: 0, coefficients };
}

/** Solves A x = B for an m×m system and three right-hand sides (Gaussian elimination, partial pivoting). */
function solve(ata: Float64Array, atb: Float64Array, m: number): Float64Array | undefined {
  const a = new Float64Array(ata);
  const rhs = new Float64Array(atb);
  for (let i = 0; i < m; i++) a[i * m + i]! += 1e-6 * (1 + a[i * m + i]!);
  for (let col = 0; col < m; col++) {
    let pivot = col;
    for (let r = col + 1; r < m; r++)
      if (Math.abs(a[r * m + col]!) > Math.abs(a[pivot * m + col]!)) pivot = r;
    if (Math.abs(a[pivot * m + col]!) < 1e-12) return undefined;
    if (pivot !== col) {
      for (let c = 0; c < m; c++) {
        const t = a[col * m + c]!;
        a[col * m + c] = a[pivot * m + c]!;
        a[pivot * m + c] = t;
      }
      for (let k = 0; k < 3; k++) {
        const t = rhs[col * 3 + k]!;
        rhs[col * 3 + k] = rhs[pivot * 3 + k]!;
        rhs[pivot * 3 + k] = t;
      }
    }
    for (let r = col + 1; r < m; r++) {
      const f = a[r * m + col]! / a[col * m + col]!;
      if (f === 0) continue;
      for (let c = col; c < m; c++) a[r * m + c]! -= f * a[col * m + c]!;
      for (let k = 0; k < 3; k++) rhs[r * 3 + k]! -= f * rhs[col * 3 + k]!;
    }
  }
  const x = new Float64Array(3 * m);
  for (let k = 0; k < 3; k++) {
    for (let r = m - 1; r >= 0; r--) {
      let s = rhs[r * 3 + k]!;
      for (let c = r + 1; c < m; c++) s -= a[r * m + c]! * x[k * m + c]!;
      x[k * m + r] = s / a[r * m + r]!;
    }
  }
  return x;
}

/** Every term of the polynomial at every sample, `count × terms` values. */
function basisOf(samples: Samples, degree: number): Float64Array {
  const terms = termsOf(degree);
  const m = terms.length;
  const basis = new Float64Array(samples.count * m);
  for (let s = 0; s < samples.count; s++) {
    const u = samples.u[s]!;
    const v = samples.v[s]!;
    for (let t = 0; t < m; t++) basis[s * m + t] = u ** terms[t]![0] * v ** terms[t]![1];
  }
  return basis;
}

function weightedFit(
  samples: Samples,
  basis: Float64Array,
  weights: Float64Array,
  degree: number,
): Surface | undefined {
  const m = termsOf(degree).length;
  const ata = new Float64Array(m * m);
  const atb = new Float64Array(m * 3);
  for (let s = 0; s < samples.count; s++) {
    const w = weights[s]!;
    if (w <= 0) continue;
    const o = s * m;
    for (let a = 0; a < m; a++) {
      const wa = w * basis[o + a]!;
      for (let b = a; b < m; b++) ata[a * m + b]! += wa * basis[o + b]!;
      for (let k = 0; k < 3; k++) atb[a * 3 + k]! += wa * samples.rgb[s * 3 + k]!;
    }
  }
  for (let a = 0; a < m; a++) for (let b = 0; b < a; b++) ata[a * m + b] = ata[b * m + a]!;
  const x = solve(ata, atb, m);
  return x ? { degree, coefficients: x } : undefined;
}

/** Colour distance of every sample from the surface. */
export function residualsOf(
  samples: Samples,
  surface: Surface,
  out: Float64Array,
  basis?: Float64Array,
): void {
  const m = termsOf(surface.degree).length;
  const terms = basis ?? basisOf(samples, surface.degree);
  const c = surface.coefficients;
  for (let s = 0; s < samples.count; s++) {
    let sum = 0;
    for (let k = 0; k < 3; k++) {
      let model = 0;
      for (let t = 0; t < m; t++) model += c[k * m + t]! * terms[s * m + t]!;
      const d = samples.rgb[s * 3 + k]! - model;
      sum += d * d;
    }
    out[s] = Math.sqrt(sum);
  }
}

/** The median (upper, for an even count) by quickselect on a copy. */
export function median(values: ArrayLike<number>): number {
  const a = Float64Array.from(values);
  if (!a.length) return 0;
  const k = a.length >> 1;
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k]!;
}

/**
 * Robust fit: weighted least squares from `weights`, then three rounds of Tukey's biweight whose scale
 * follows the residuals of the samples within `inlierLimit` (never below `minScale`).
 */
export function robustFit(
  samples: Samples,
  degree: number,
  weights: Float64Array,
  start: Surface,
  options: { inlierLimit: number; minScale: number },
): Surface {
  const basis = basisOf(samples, degree);
  let surface = weightedFit(samples, basis, weights, degree) ?? start;
  const residual = new Float64Array(samples.count);
  for (let round = 0; round < 3; round++) {
    residualsOf(samples, surface, residual, surface.degree === degree ? basis : undefined);
    const inliers: number[] = [];
    for (let s = 0; s < samples.count; s++)
      if (residual[s]! < options.inlierLimit) inliers.push(residual[s]!);
    const scale = Math.max(options.minScale, 4.685 * 1.4826 * median(inliers));
    for (let s = 0; s < samples.count; s++) {
      const t = residual[s]! / scale;
      weights[s] = t < 1 ? (1 - t * t) ** 2 : 0;
    }
    surface = weightedFit(samples, basis, weights, degree) ?? surface;
  }
  return surface;
}
