/**
 * Signed distance functions (in pixels, negative inside) for the silhouettes of the generated product
 * photos. Coverage of a pixel is `clamp(0.5 - distance, 0, 1)`, which is both how the product is
 * anti-aliased when rendered and the ground-truth alpha it is measured against.
 */

export type Sdf = (x: number, y: number) => number;

export function roundedBox(
  cx: number,
  cy: number,
  halfWidth: number,
  halfHeight: number,
  radius: number,
): Sdf {
  const r = Math.min(radius, halfWidth, halfHeight);
  return (x, y) => {
    const qx = Math.abs(x - cx) - halfWidth + r;
    const qy = Math.abs(y - cy) - halfHeight + r;
    const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
    return outside + Math.min(Math.max(qx, qy), 0) - r;
  };
}

/** A capsule: every point within `radius` of the segment a–b (thin tubes, handles, straps). */
export function capsule(ax: number, ay: number, bx: number, by: number, radius: number): Sdf {
  const dx = bx - ax;
  const dy = by - ay;
  const length2 = dx * dx + dy * dy || 1;
  return (x, y) => {
    const px = x - ax;
    const py = y - ay;
    const t = Math.min(1, Math.max(0, (px * dx + py * dy) / length2));
    return Math.hypot(px - dx * t, py - dy * t) - radius;
  };
}

/** An ellipse, by the usual first-order approximation (exact on the axes, close elsewhere). */
export function ellipse(cx: number, cy: number, rx: number, ry: number): Sdf {
  return (x, y) => {
    const px = (x - cx) / rx;
    const py = (y - cy) / ry;
    const k0 = Math.hypot(px, py);
    const k1 = Math.hypot(px / rx, py / ry);
    return k1 === 0 ? -Math.min(rx, ry) : (k0 * (k0 - 1)) / k1;
  };
}

/** Any simple polygon (convex or not), vertices in order. */
export function polygon(points: ReadonlyArray<readonly [number, number]>): Sdf {
  const n = points.length;
  const xs = Float64Array.from(points, (p) => p[0]);
  const ys = Float64Array.from(points, (p) => p[1]);
  return (x, y) => {
    let best = Infinity;
    let inside = false;
    for (let i = 0, j = n - 1; i < n; j = i, i++) {
      const xi = xs[i]!;
      const yi = ys[i]!;
      const xj = xs[j]!;
      const yj = ys[j]!;
      const ex = xj - xi;
      const ey = yj - yi;
      const wx = x - xi;
      const wy = y - yi;
      const t = Math.min(1, Math.max(0, (wx * ex + wy * ey) / (ex * ex + ey * ey || 1)));
      const d = Math.hypot(wx - ex * t, wy - ey * t);
      if (d < best) best = d;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside ? -best : best;
  };
}

export function union(...shapes: Sdf[]): Sdf {
  return (x, y) => {
    let d = Infinity;
    for (const shape of shapes) d = Math.min(d, shape(x, y));
    return d;
  };
}

/** A union with a rounded fillet of width `k` where the shapes meet (a bottle's shoulder). */
export function smoothUnion(a: Sdf, b: Sdf, k: number): Sdf {
  return (x, y) => {
    const da = a(x, y);
    const db = b(x, y);
    const h = Math.max(k - Math.abs(da - db), 0) / k;
    return Math.min(da, db) - (h * h * k) / 4;
  };
}

export function coverage(distance: number): number {
  return Math.min(1, Math.max(0, 0.5 - distance));
}
