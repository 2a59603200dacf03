import sharp from "sharp";

/**
 * Product images for the engine tests: a solid-colour rectangle (the object box) with transparent
 * margins, so where it lands in an output can be measured by colour.
 */
export type ProductSpec = {
  width: number;
  height: number;
  box: { x: number; y: number; width: number; height: number };
  colour: { r: number; g: number; b: number };
};

export async function productPng(spec: ProductSpec): Promise<Buffer> {
  const { width, height, box, colour } = spec;
  const pixels = Buffer.alloc(width * height * 4);
  for (let y = box.y; y < box.y + box.height; y++) {
    for (let x = box.x; x < box.x + box.width; x++) {
      const o = (y * width + x) * 4;
      pixels[o] = colour.r;
      pixels[o + 1] = colour.g;
      pixels[o + 2] = colour.b;
      pixels[o + 3] = 255;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 4 } })
    .png({ compressionLevel: 1 })
    .toBuffer();
}

export async function solidPng(width: number, height: number, colour: string): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .png()
    .toBuffer();
}

/** A template with structure (a gradient and a stripe) so changes to it are measurable. */
export async function templatePng(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      pixels[o] = Math.round((x / width) * 200) + 30;
      pixels[o + 1] = Math.round((y / height) * 180) + 40;
      pixels[o + 2] = y % 64 < 8 ? 220 : 90;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** Bounding box (pixel edges) of the pixels closer to `colour` than to anything else by `maxDistance`. */
export function boundsByColour(
  pixels: Buffer,
  size: { width: number; height: number; channels: number },
  colour: { r: number; g: number; b: number },
  maxDistance: number,
) {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let y = 0; y < size.height; y++) {
    for (let x = 0; x < size.width; x++) {
      const o = (y * size.width + x) * size.channels;
      const dr = (pixels[o] ?? 0) - colour.r;
      const dg = (pixels[o + 1] ?? 0) - colour.g;
      const db = (pixels[o + 2] ?? 0) - colour.b;
      if (dr * dr + dg * dg + db * db <= maxDistance * maxDistance) {
        if (x < x0) x0 = x;
        if (y < y0) y0 = y;
        if (x + 1 > x1) x1 = x + 1;
        if (y + 1 > y1) y1 = y + 1;
      }
    }
  }
  return x1 < 0 ? undefined : { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}
