import sharp from "sharp";

import type { Rgb } from "./render-photo";
import { randomSource } from "./render-photo";

/**
 * Photos the local cutout must refuse: a product in front of a busy background — a room, a street,
 * wood, woven fabric, marble, bricks, an out-of-focus scene, a wall meeting a floor — rendered in code
 * from fixed seeds.
 */

type Painter = (x: number, y: number) => Rgb;

/** Smooth value noise in [0, 1]: random values on a lattice of `cell` pixels, smoothly interpolated. */
function valueNoise(seed: number, cell: number, width: number, height: number) {
  const random = randomSource(seed);
  const cols = Math.ceil(width / cell) + 2;
  const rows = Math.ceil(height / cell) + 2;
  const lattice = Float64Array.from({ length: cols * rows }, () => random.next());
  const smooth = (t: number) => t * t * (3 - 2 * t);
  return (x: number, y: number) => {
    const gx = x / cell;
    const gy = y / cell;
    const ix = Math.floor(gx);
    const iy = Math.floor(gy);
    const fx = smooth(gx - ix);
    const fy = smooth(gy - iy);
    const at = (i: number, j: number) => lattice[(iy + j) * cols + ix + i]!;
    const top = at(0, 0) + (at(1, 0) - at(0, 0)) * fx;
    const bottom = at(0, 1) + (at(1, 1) - at(0, 1)) * fx;
    return top + (bottom - top) * fy;
  };
}

function fractal(seed: number, cell: number, width: number, height: number, octaves = 4) {
  const layers = Array.from({ length: octaves }, (_, o) =>
    valueNoise(seed + o * 101, cell / 2 ** o, width, height),
  );
  return (x: number, y: number) => {
    let sum = 0;
    let norm = 0;
    layers.forEach((layer, o) => {
      const weight = 0.5 ** o;
      sum += weight * layer(x, y);
      norm += weight;
    });
    return sum / norm;
  };
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

type Box = { x0: number; y0: number; x1: number; y1: number; colour: Rgb };

function boxes(list: Box[], fallback: Painter): Painter {
  return (x, y) => {
    for (let i = list.length - 1; i >= 0; i--) {
      const b = list[i]!;
      if (x >= b.x0 && x < b.x1 && y >= b.y0 && y < b.y1) return b.colour;
    }
    return fallback(x, y);
  };
}

function room(w: number, h: number): Painter {
  const grain = fractal(11, 40, w, h);
  const wall: Rgb = [214, 200, 176];
  const floor = (x: number, y: number): Rgb => {
    const plank = Math.floor((x + (Math.floor(y / 60) % 2) * 90) / 180);
    return mix([150, 100, 60], [120, 80, 45], (plank % 3) / 3 + 0.3 * grain(x, y));
  };
  return boxes(
    [
      { x0: 0.62 * w, y0: 0.1 * h, x1: 0.9 * w, y1: 0.45 * h, colour: [236, 242, 250] },
      { x0: 0, y0: 0.38 * h, x1: 0.28 * w, y1: 0.72 * h, colour: [70, 90, 120] },
      { x0: 0.02 * w, y0: 0.3 * h, x1: 0.26 * w, y1: 0.4 * h, colour: [60, 80, 110] },
    ],
    (x, y) => (y < 0.62 * h ? mix(wall, [190, 176, 150], y / h) : floor(x, y)),
  );
}

function street(w: number, h: number): Painter {
  const random = randomSource(23);
  const list: Box[] = [];
  for (let x = 0; x < w;) {
    const bw = random.between(0.08, 0.2) * w;
    const top = random.between(0.08, 0.35) * h;
    const colour: Rgb = [random.between(80, 200), random.between(70, 180), random.between(60, 170)];
    list.push({ x0: x, y0: top, x1: x + bw, y1: 0.7 * h, colour });
    for (let wy = top + 12; wy < 0.66 * h; wy += 36) {
      for (let wx = x + 10; wx < x + bw - 22; wx += 30) {
        list.push({ x0: wx, y0: wy, x1: wx + 16, y1: wy + 20, colour: [40, 50, 70] });
      }
    }
    x += bw;
  }
  for (let x = 0; x < w; x += 120)
    list.push({ x0: x, y0: 0.84 * h, x1: x + 60, y1: 0.86 * h, colour: [240, 240, 240] });
  return boxes(list, (_x, y) =>
    y < 0.5 * h ? mix([120, 170, 230], [200, 220, 240], y / (0.5 * h)) : [90, 90, 95],
  );
}

function wood(w: number, h: number): Painter {
  const warp = fractal(31, 120, w, h);
  return (x, y) => {
    const ring = Math.sin((y + 80 * warp(x, y)) / 9) * 0.5 + 0.5;
    return mix([170, 115, 70], [110, 70, 40], ring * 0.8);
  };
}

function fabric(w: number, h: number): Painter {
  const random = randomSource(41);
  const threads = Float64Array.from({ length: w + h }, () => random.between(-18, 18));
  return (x, y) => {
    const over = (Math.floor(x / 4) + Math.floor(y / 4)) % 2 === 0;
    const t = over ? threads[Math.floor(x)]! : threads[w + Math.floor(y)]!;
    return [60 + t, 90 + t, 140 + t];
  };
}

function marble(w: number, h: number): Painter {
  const veins = fractal(53, 160, w, h, 5);
  return (x, y) => {
    const v = Math.abs(Math.sin((x * 0.6 + y * 0.8) / 40 + 9 * veins(x, y)));
    return mix([232, 230, 226], [120, 118, 120], Math.pow(1 - v, 6));
  };
}

function bricks(): Painter {
  const random = randomSource(67);
  const shades = Float64Array.from({ length: 4096 }, () => random.between(-25, 25));
  return (x, y) => {
    const row = Math.floor(y / 40);
    const bx = x + (row % 2) * 45;
    if (y % 40 < 5 || bx % 90 < 5) return [200, 196, 188];
    const s = shades[(row * 64 + Math.floor(bx / 90)) % 4096]!;
    return [165 + s, 70 + s / 2, 50 + s / 3];
  };
}

function bokeh(w: number, h: number): Painter {
  const r = fractal(71, 220, w, h);
  const g = fractal(72, 200, w, h);
  const b = fractal(73, 240, w, h);
  return (x, y) => [40 + 200 * r(x, y), 40 + 190 * g(x, y), 50 + 180 * b(x, y)];
}

function wallAndFloor(w: number, h: number): Painter {
  return (_x, y) => (y < 0.55 * h ? [236, 236, 238] : [150, 160, 175]);
}

export const BUSY_BACKGROUNDS: Record<string, (w: number, h: number) => Painter> = {
  room,
  street,
  wood,
  fabric,
  marble,
  bricks,
  bokeh,
  "wall and floor": wallAndFloor,
};

/** A busy background with a dark bottle in the middle, as JPEG. */
export async function busyPhoto(
  name: keyof typeof BUSY_BACKGROUNDS,
  width = 900,
  height = 700,
): Promise<Buffer> {
  const paint = BUSY_BACKGROUNDS[name]!(width, height);
  const pixels = Buffer.alloc(width * height * 3);
  const cx = width / 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inBottle =
        Math.abs(x + 0.5 - cx) < 0.09 * width && y > 0.25 * height && y < 0.85 * height
          ? true
          : Math.abs(x + 0.5 - cx) < 0.03 * width && y > 0.15 * height && y <= 0.25 * height;
      const c: Rgb = inBottle ? [28, 60, 40] : paint(x + 0.5, y + 0.5);
      const o = (y * width + x) * 3;
      pixels[o] = Math.max(0, Math.min(255, Math.round(c[0])));
      pixels[o + 1] = Math.max(0, Math.min(255, Math.round(c[1])));
      pixels[o + 2] = Math.max(0, Math.min(255, Math.round(c[2])));
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 88 })
    .toBuffer();
}
