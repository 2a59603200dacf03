import type { Part, Product, Rgb } from "./render-photo";
import type { Sdf } from "./shapes";
import { capsule, ellipse, polygon, roundedBox, smoothUnion, union } from "./shapes";

/**
 * Product silhouettes for the cutout test set, built in photo pixels: bottles (with caps, pumps, long
 * necks), boxes, jars, shoes, tubes, brushes, cans, spray bottles. Each has shading (round products
 * darken towards their sides as lit from the front), optional labels with lines of "text", and parts
 * thin enough to be a few pixels wide.
 */

export type Label = { colour: Rgb; text?: Rgb; fullWidth?: boolean };

const WHITE: Rgb = [250, 250, 250];

function scaled(colour: Rgb, factor: number): Rgb {
  return [colour[0] * factor, colour[1] * factor, colour[2] * factor];
}

/** Light falling on a cylinder from the front: darker towards its sides, with a soft highlight. */
export function cylinderShade(cx: number, halfWidth: number, strength = 0.22, highlight = 0.05) {
  return (x: number) => {
    const t = Math.min(1, Math.max(-1, (x - cx) / halfWidth));
    const diffuse = 1 - strength + strength * Math.sqrt(1 - t * t);
    return diffuse + highlight * Math.exp(-(((t + 0.35) / 0.12) ** 2));
  };
}

type Rect = { x0: number; x1: number; y0: number; y1: number };

function inside(r: Rect, x: number, y: number) {
  return x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1;
}

/** A label painted on a surface: its colour, and rows of dark bars like printed text. */
function labelled(
  base: (x: number, y: number) => Rgb,
  area: Rect,
  label: Label | undefined,
  shade: (x: number) => number,
) {
  if (!label) return base;
  const rowHeight = (area.y1 - area.y0) / 7;
  const rows: Rect[] = label.text
    ? [1.2, 3, 4.3].map((row, i) => ({
        x0: area.x0 + (area.x1 - area.x0) * (0.22 + 0.06 * i),
        x1: area.x1 - (area.x1 - area.x0) * (0.22 + 0.08 * i),
        y0: area.y0 + rowHeight * row,
        y1: area.y0 + rowHeight * (row + (i === 0 ? 1.1 : 0.45)),
      }))
    : [];
  return (x: number, y: number): Rgb => {
    if (!inside(area, x, y)) return base(x, y);
    const f = shade(x);
    for (const row of rows) if (inside(row, x, y)) return scaled(label.text!, f);
    return scaled(label.colour, f);
  };
}

function part(shape: Sdf, paint: (x: number, y: number) => Rgb): Part {
  return { shape, paint };
}

export type BottleOptions = {
  cx: number;
  bottom: number;
  height: number;
  width: number;
  colour: Rgb;
  cap?: Rgb;
  label?: Label;
  /** Neck length as a share of the height (a wine bottle's is long). */
  neck?: number;
  /** A pump dispenser with a thin nozzle instead of a cap. */
  pump?: boolean;
  rotation?: number;
};

export function bottle(o: BottleOptions): Product {
  const { cx, bottom, height: h, width: w } = o;
  const neck = o.neck ?? 0.19;
  const capHeight = o.pump ? 0.08 * h : 0.13 * h;
  const bodyHeight = h - capHeight - neck * h;
  const bodyTop = bottom - bodyHeight;
  const neckTop = bodyTop - neck * h;
  const shade = cylinderShade(cx, w / 2);
  const bodyShape = smoothUnion(
    roundedBox(cx, bottom - bodyHeight / 2, w / 2, bodyHeight / 2, 0.1 * w),
    roundedBox(cx, bodyTop - (neck * h) / 2 + 0.02 * h, 0.16 * w, (neck * h) / 2 + 0.02 * h, 0.03 * w),
    0.3 * w,
  );
  const labelArea: Rect = o.label?.fullWidth
    ? { x0: cx - w, x1: cx + w, y0: bottom - bodyHeight * 0.78, y1: bottom - bodyHeight * 0.25 }
    : { x0: cx - 0.36 * w, x1: cx + 0.36 * w, y0: bottom - bodyHeight * 0.72, y1: bottom - bodyHeight * 0.3 };
  const parts: Part[] = [
    part(
      bodyShape,
      labelled((x) => scaled(o.colour, shade(x)), labelArea, o.label, shade),
    ),
  ];
  const capColour = o.cap ?? scaled(o.colour, 0.7);
  let right = cx + w / 2;
  if (o.pump) {
    const collarShade = cylinderShade(cx, 0.2 * w);
    parts.push(
      part(roundedBox(cx, neckTop - 0.015 * h, 0.2 * w, 0.035 * h, 0.02 * w), (x) =>
        scaled(capColour, collarShade(x)),
      ),
      part(capsule(cx, neckTop - 0.04 * h, cx, bottom - h + 0.03 * h, 0.035 * w), (x) =>
        scaled(capColour, collarShade(x)),
      ),
      part(roundedBox(cx + 0.05 * w, bottom - h + 0.022 * h, 0.2 * w, 0.022 * h, 0.015 * w), () => capColour),
      part(
        capsule(cx + 0.2 * w, bottom - h + 0.02 * h, cx + 0.48 * w, bottom - h + 0.028 * h, 0.02 * w),
        () => scaled(capColour, 0.92),
      ),
    );
    right = cx + 0.5 * w;
  } else {
    const capShade = cylinderShade(cx, 0.19 * w, 0.2, 0.04);
    const rimY = neckTop + 0.012 * h;
    parts.push(
      part(roundedBox(cx, bottom - h + capHeight / 2, 0.19 * w, capHeight / 2, 0.025 * w), (x, y) =>
        scaled(capColour, capShade(x) * (y > rimY - 0.012 * h ? 0.85 : 1)),
      ),
    );
  }
  return {
    parts,
    bounds: { x0: cx - w / 2, y0: bottom - h, x1: right, y1: bottom },
    rotation: o.rotation,
    pivot: [cx, bottom],
  };
}

export type BoxOptions = {
  x: number;
  bottom: number;
  width: number;
  height: number;
  /** How far the top and side faces show, as a share of the width. */
  depth: number;
  colour: Rgb;
  label?: Label;
  rotation?: number;
};

export function box(o: BoxOptions): Product {
  const dx = o.depth * o.width;
  const dy = dx * 0.6;
  const x0 = o.x;
  const x1 = o.x + o.width - dx;
  const yTop = o.bottom - o.height + dy;
  const front = polygon([
    [x0, yTop],
    [x1, yTop],
    [x1, o.bottom],
    [x0, o.bottom],
  ]);
  const top = polygon([
    [x0, yTop],
    [x0 + dx, yTop - dy],
    [x1 + dx, yTop - dy],
    [x1, yTop],
  ]);
  const side = polygon([
    [x1, yTop],
    [x1 + dx, yTop - dy],
    [x1 + dx, o.bottom - dy],
    [x1, o.bottom],
  ]);
  const labelArea: Rect = {
    x0: x0 + (x1 - x0) * 0.15,
    x1: x1 - (x1 - x0) * 0.15,
    y0: yTop + (o.bottom - yTop) * 0.25,
    y1: yTop + (o.bottom - yTop) * 0.7,
  };
  return {
    parts: [
      part(
        front,
        labelled(
          () => scaled(o.colour, 0.93),
          labelArea,
          o.label,
          () => 0.97,
        ),
      ),
      part(top, () => scaled(o.colour, 1.0)),
      part(side, () => scaled(o.colour, 0.78)),
    ],
    bounds: { x0, y0: o.bottom - o.height, x1: x1 + dx, y1: o.bottom },
    rotation: o.rotation,
    pivot: [(x0 + x1 + dx) / 2, o.bottom],
  };
}

export type JarOptions = {
  cx: number;
  bottom: number;
  width: number;
  height: number;
  colour: Rgb;
  lid: Rgb;
  label?: Label;
};

export function jar(o: JarOptions): Product {
  const { cx, bottom, width: w, height: h } = o;
  const shade = cylinderShade(cx, w / 2, 0.25);
  const lidShade = cylinderShade(cx, 0.5 * w, 0.2, 0.03);
  const bodyTop = bottom - 0.8 * h;
  const labelArea: Rect = {
    x0: cx - 0.42 * w,
    x1: cx + 0.42 * w,
    y0: bodyTop + 0.2 * h,
    y1: bottom - 0.12 * h,
  };
  return {
    parts: [
      part(
        roundedBox(cx, bottom - 0.4 * h, w / 2, 0.4 * h, 0.16 * w),
        labelled((x) => scaled(o.colour, shade(x)), labelArea, o.label, shade),
      ),
      part(roundedBox(cx, bottom - 0.895 * h, 0.5 * w, 0.105 * h, 0.04 * w), (x, y) =>
        scaled(o.lid, lidShade(x) * (y > bottom - 0.815 * h ? 0.82 : 1)),
      ),
    ],
    bounds: { x0: cx - w / 2, y0: bottom - h, x1: cx + w / 2, y1: bottom },
  };
}

export type ShoeOptions = {
  cx: number;
  bottom: number;
  length: number;
  upper: Rgb;
  sole: Rgb;
  laces?: Rgb;
  rotation?: number;
};

/** A sneaker seen from the side, toe to the right, with a thin pull tab at the heel. */
export function shoe(o: ShoeOptions): Product {
  const { cx, bottom, length: l } = o;
  const upperShape = smoothUnion(
    ellipse(cx + 0.16 * l, bottom - 0.13 * l, 0.32 * l, 0.12 * l),
    roundedBox(cx - 0.22 * l, bottom - 0.19 * l, 0.26 * l, 0.15 * l, 0.09 * l),
    0.12 * l,
  );
  const laceRows = [0, 1, 2, 3].map((i) => ({
    ax: cx - 0.04 * l + i * 0.07 * l,
    ay: bottom - 0.28 * l + i * 0.035 * l,
  }));
  return {
    parts: [
      part(upperShape, (x, y) => {
        const f = 0.86 + 0.14 * Math.min(1, Math.max(0, (bottom - y) / (0.35 * l)));
        if (o.laces) {
          for (const r of laceRows) {
            if (Math.abs(y - r.ay) < 0.008 * l && Math.abs(x - r.ax) < 0.035 * l) return o.laces;
          }
        }
        return scaled(o.upper, f);
      }),
      part(capsule(cx - 0.43 * l, bottom - 0.31 * l, cx - 0.46 * l, bottom - 0.4 * l, 0.011 * l), () =>
        scaled(o.upper, 0.8),
      ),
      part(roundedBox(cx, bottom - 0.035 * l, 0.5 * l, 0.035 * l, 0.03 * l), (_x, y) =>
        scaled(o.sole, y > bottom - 0.012 * l ? 0.8 : 0.95),
      ),
    ],
    bounds: { x0: cx - 0.5 * l, y0: bottom - 0.42 * l, x1: cx + 0.5 * l, y1: bottom },
    rotation: o.rotation,
    pivot: [cx, bottom],
  };
}

export type TubeOptions = {
  cx: number;
  bottom: number;
  width: number;
  height: number;
  colour: Rgb;
  cap: Rgb;
  rotation?: number;
};

/** A cosmetic tube standing on its cap, crimped at the top. */
export function tube(o: TubeOptions): Product {
  const { cx, bottom, width: w, height: h } = o;
  const shade = cylinderShade(cx, w / 2, 0.18);
  return {
    parts: [
      part(
        polygon([
          [cx - 0.23 * w, bottom - 0.11 * h],
          [cx + 0.23 * w, bottom - 0.11 * h],
          [cx + 0.5 * w, bottom - 0.95 * h],
          [cx - 0.5 * w, bottom - 0.95 * h],
        ]),
        (x) => scaled(o.colour, shade(x)),
      ),
      part(roundedBox(cx, bottom - 0.975 * h, 0.5 * w, 0.025 * h, 0.004 * w), (x) =>
        scaled(o.colour, Math.floor(x / Math.max(2, 0.02 * w)) % 2 === 0 ? 0.8 : 0.92),
      ),
      part(roundedBox(cx, bottom - 0.065 * h, 0.25 * w, 0.065 * h, 0.04 * w), (x) =>
        scaled(o.cap, cylinderShade(cx, 0.25 * w)(x)),
      ),
    ],
    bounds: { x0: cx - w / 2, y0: bottom - h, x1: cx + w / 2, y1: bottom },
    rotation: o.rotation,
    pivot: [cx, bottom],
  };
}

export type BrushOptions = {
  cx: number;
  cy: number;
  length: number;
  handle: Rgb;
  bristles: Rgb;
  thickness: number;
  rotation: number;
};

/** A paint brush: a long thin handle, a metal ferrule and a fan of bristles. */
export function brush(o: BrushOptions): Product {
  const { cx, cy, length: l } = o;
  const metal: Rgb = [170, 172, 178];
  return {
    parts: [
      part(capsule(cx - 0.5 * l, cy, cx + 0.16 * l, cy, o.thickness / 2), () => o.handle),
      part(roundedBox(cx + 0.2 * l, cy, 0.06 * l, 0.024 * l, 0.006 * l), (_x, y) =>
        scaled(metal, 0.85 + 0.15 * Math.cos(((y - cy) / (0.024 * l)) * 1.4)),
      ),
      part(
        polygon([
          [cx + 0.255 * l, cy - 0.026 * l],
          [cx + 0.5 * l, cy - 0.045 * l],
          [cx + 0.5 * l, cy + 0.045 * l],
          [cx + 0.255 * l, cy + 0.026 * l],
        ]),
        () => o.bristles,
      ),
    ],
    bounds: { x0: cx - 0.5 * l - o.thickness, y0: cy - 0.05 * l, x1: cx + 0.5 * l, y1: cy + 0.05 * l },
    rotation: o.rotation,
    pivot: [cx, cy],
  };
}

export type CanOptions = {
  cx: number;
  bottom: number;
  width: number;
  height: number;
  colour: Rgb;
  label?: Label;
};

export function can(o: CanOptions): Product {
  const { cx, bottom, width: w, height: h } = o;
  const shade = cylinderShade(cx, w / 2, 0.3, 0.08);
  const metal: Rgb = [190, 192, 196];
  const labelArea: Rect = { x0: cx - w, x1: cx + w, y0: bottom - 0.75 * h, y1: bottom - 0.3 * h };
  return {
    parts: [
      part(
        roundedBox(cx, bottom - h / 2, w / 2, h / 2, 0.06 * w),
        labelled(
          (x, y) =>
            y < bottom - 0.94 * h || y > bottom - 0.05 * h
              ? scaled(metal, shade(x))
              : scaled(o.colour, shade(x)),
          labelArea,
          o.label,
          shade,
        ),
      ),
    ],
    bounds: { x0: cx - w / 2, y0: bottom - h, x1: cx + w / 2, y1: bottom },
  };
}

export type SprayOptions = {
  cx: number;
  bottom: number;
  width: number;
  height: number;
  colour: Rgb;
  head: Rgb;
};

/** A trigger spray bottle: round body, a trigger head to the right and a thin nozzle. */
export function spray(o: SprayOptions): Product {
  const { cx, bottom, width: w, height: h } = o;
  const shade = cylinderShade(cx, w / 2);
  const bodyTop = bottom - 0.66 * h;
  const headTop = bottom - h;
  return {
    parts: [
      part(
        smoothUnion(
          roundedBox(cx, bottom - 0.33 * h, w / 2, 0.33 * h, 0.14 * w),
          roundedBox(cx, bodyTop - 0.06 * h, 0.2 * w, 0.08 * h, 0.04 * w),
          0.25 * w,
        ),
        (x) => scaled(o.colour, shade(x)),
      ),
      part(
        union(
          polygon([
            [cx - 0.28 * w, bodyTop - 0.12 * h],
            [cx - 0.3 * w, headTop + 0.04 * h],
            [cx + 0.1 * w, headTop],
            [cx + 0.55 * w, headTop + 0.02 * h],
            [cx + 0.55 * w, headTop + 0.09 * h],
            [cx + 0.2 * w, headTop + 0.11 * h],
            [cx + 0.22 * w, bodyTop - 0.12 * h],
          ]),
          polygon([
            [cx + 0.15 * w, headTop + 0.1 * h],
            [cx + 0.28 * w, headTop + 0.11 * h],
            [cx + 0.24 * w, headTop + 0.27 * h],
            [cx + 0.17 * w, headTop + 0.26 * h],
          ]),
        ),
        () => o.head,
      ),
      part(capsule(cx + 0.55 * w, headTop + 0.055 * h, cx + 0.72 * w, headTop + 0.055 * h, 0.018 * w), () =>
        scaled(o.head, 0.85),
      ),
    ],
    bounds: { x0: cx - w / 2, y0: headTop, x1: cx + 0.74 * w, y1: bottom },
  };
}

export { WHITE };
