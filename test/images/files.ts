import zlib from "node:zlib";
import sharp from "sharp";

/** Image files for intake tests, built from their bytes so each one is exactly what it claims. */

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([Buffer.from(type, "ascii"), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A decompression bomb: a 1-bit greyscale PNG of `side × side` black pixels, a few kilobytes long. */
export function bombPng(side: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const raw = Buffer.alloc((1 + Math.ceil(side / 8)) * side); // filter byte + packed row, all zero
  const idat = zlib.deflateSync(raw, { level: 9 });
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk("IHDR", ihdr),
    chunk("IDAT", idat),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** RGBA pixels: transparent, with an opaque rectangle, and a few faint pixels below the threshold. */
export async function cutoutPng(
  width: number,
  height: number,
  box: { x: number; y: number; width: number; height: number },
  faint: Array<{ x: number; y: number; alpha: number }> = [],
): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 4);
  for (let y = box.y; y < box.y + box.height; y++) {
    for (let x = box.x; x < box.x + box.width; x++) pixels.set([200, 60, 40, 255], (y * width + x) * 4);
  }
  for (const p of faint) pixels.set([0, 0, 0, p.alpha], (p.y * width + p.x) * 4);
  return sharp(pixels, { raw: { width, height, channels: 4 } })
    .png()
    .toBuffer();
}

/** A JPEG stored sideways with EXIF orientation 6 (display turned 90° clockwise) and a comment. */
export async function sidewaysJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 60, height: 40, channels: 3, background: "#3366cc" } })
    .jpeg()
    .withMetadata({ orientation: 6, exif: { IFD0: { Copyright: "secret-owner-name" } } })
    .toBuffer();
}

export async function gif(): Promise<Buffer> {
  return sharp({
    create: { width: 20, height: 30, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 1 } },
  })
    .gif()
    .toBuffer();
}

export const SVG_WITH_SCRIPT = Buffer.from(
  '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script><rect width="10" height="10"/></svg>',
);

/** A PNG signature and header, then an HTML page: the magic bytes lie about the rest. */
export function pngPolyglot(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(16, 0);
  ihdr.writeUInt32BE(16, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk("IHDR", ihdr),
    Buffer.from("<html><body><script>fetch('/api/tokens')</script></body></html>"),
  ]);
}

/** A minimal HEIC container header (ftyp heic) with nothing decodable behind it. */
export function heicHeader(): Buffer {
  const ftyp = Buffer.alloc(24);
  ftyp.writeUInt32BE(24, 0);
  ftyp.write("ftypheic", 4, "ascii");
  ftyp.write("mif1heic", 16, "ascii");
  return Buffer.concat([ftyp, Buffer.alloc(64)]);
}
