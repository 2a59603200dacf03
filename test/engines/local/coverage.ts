import type { Box, Point, Size } from "@/lib/scene/placement";

/**
 * The ideal rendering of a placed box: each pixel covered by the exact area of the rotated rectangle
 * inside it. Its pixels of at least 50 % coverage are what a perfect renderer shows at that threshold,
 * so comparing bounds at the same threshold measures the renderer, not the threshold (a rotated
 * corner's tip covers less than half of its pixel, whoever draws it).
 */
function clip(polygon: Point[], inside: (p: Point) => number): Point[] {
  const out: Point[] = [];
  polygon.forEach((current, i) => {
    const previous = polygon[(i + polygon.length - 1) % polygon.length] ?? current;
    const a = inside(previous);
    const b = inside(current);
    if (a >= 0 !== b >= 0) {
      const t = a / (a - b);
      out.push({
        x: previous.x + (current.x - previous.x) * t,
        y: previous.y + (current.y - previous.y) * t,
      });
    }
    if (b >= 0) out.push(current);
  });
  return out;
}

function area(polygon: Point[]): number {
  let sum = 0;
  polygon.forEach((p, i) => {
    const q = polygon[(i + 1) % polygon.length] ?? p;
    sum += p.x * q.y - q.x * p.y;
  });
  return Math.abs(sum) / 2;
}

export function pixelCoverage(polygon: Point[], x: number, y: number): number {
  let p = clip(polygon, (q) => q.x - x);
  p = clip(p, (q) => x + 1 - q.x);
  p = clip(p, (q) => q.y - y);
  p = clip(p, (q) => y + 1 - q.y);
  return p.length < 3 ? 0 : area(p);
}

/** Bounds (pixel edges) of the pixels an ideal renderer covers at least half, inside the frame. */
export function idealBounds(corners: Point[], frame: Size): Box | undefined {
  const xs = corners.map((c) => c.x);
  const ys = corners.map((c) => c.y);
  const cx0 = Math.max(0, Math.floor(Math.min(...xs)));
  const cx1 = Math.min(frame.width, Math.ceil(Math.max(...xs)));
  const cy0 = Math.max(0, Math.floor(Math.min(...ys)));
  const cy1 = Math.min(frame.height, Math.ceil(Math.max(...ys)));
  if (cx1 <= cx0 || cy1 <= cy0) return undefined;
  const columnHas = (x: number) => {
    for (let y = cy0; y < cy1; y++) if (pixelCoverage(corners, x, y) >= 0.5) return true;
    return false;
  };
  const rowHas = (y: number) => {
    for (let x = cx0; x < cx1; x++) if (pixelCoverage(corners, x, y) >= 0.5) return true;
    return false;
  };
  let left = cx0;
  while (left < cx1 && !columnHas(left)) left++;
  if (left === cx1) return undefined;
  let right = cx1 - 1;
  while (right > left && !columnHas(right)) right--;
  let top = cy0;
  while (top < cy1 && !rowHas(top)) top++;
  let bottom = cy1 - 1;
  while (bottom > top && !rowHas(bottom)) bottom--;
  return { x: left, y: top, width: right + 1 - left, height: bottom + 1 - top };
}

/** The part of a convex polygon inside the frame. */
export function clipToFrame(polygon: Point[], frame: Size): Point[] {
  let p = clip(polygon, (q) => q.x);
  p = clip(p, (q) => frame.width - q.x);
  p = clip(p, (q) => q.y);
  return clip(p, (q) => frame.height - q.y);
}

/** Area and centroid of a simple polygon (shoelace). */
export function areaAndCentroid(polygon: Point[]): { area: number; centroid: Point } {
  let twice = 0;
  let cx = 0;
  let cy = 0;
  polygon.forEach((p, i) => {
    const q = polygon[(i + 1) % polygon.length] ?? p;
    const cross = p.x * q.y - q.x * p.y;
    twice += cross;
    cx += (p.x + q.x) * cross;
    cy += (p.y + q.y) * cross;
  });
  return { area: Math.abs(twice) / 2, centroid: { x: cx / (3 * twice), y: cy / (3 * twice) } };
}

/**
 * Area and centroid of the product in a rendered image, each pixel weighted by its coverage read from
 * its colour (on black, coverage is the red channel over the product's red): sub-pixel measures that a
 * shift of a fraction of a pixel moves.
 */
export function measuredAreaAndCentroid(
  pixels: Buffer,
  size: { width: number; height: number; channels: number },
  red: number,
): { area: number; centroid: Point } {
  let area = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < size.height; y++) {
    for (let x = 0; x < size.width; x++) {
      const a = Math.min(1, (pixels[(y * size.width + x) * size.channels] ?? 0) / red);
      if (a === 0) continue;
      area += a;
      sx += a * (x + 0.5);
      sy += a * (y + 0.5);
    }
  }
  return { area, centroid: { x: sx / area, y: sy / area } };
}
