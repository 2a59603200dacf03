import sharp, { type Sharp } from "sharp";
import { beforeAll, describe, expect, it } from "vitest";

import { cutoutPng, plainBorder, removeBackground } from "@/lib/server/engines/local/cutout";
import { ApiError } from "@/lib/server/errors";

import { BUSY_BACKGROUNDS, busyPhoto } from "../../../support/photos/busy-photos";
import { productPhotoSet } from "../../../support/photos/product-photos";
import type { RenderedPhoto } from "../../../support/photos/render-photo";
import { renderPhoto } from "../../../support/photos/render-photo";

const photos = new Map<string, RenderedPhoto>();

async function photo(name: string): Promise<RenderedPhoto> {
  const known = photos.get(name);
  if (known) return known;
  const set = productPhotoSet();
  const index = set.findIndex((s) => s.name === name);
  if (index < 0) throw new Error(`no photo ${name}`);
  const rendered = await renderPhoto(set[index]!, index + 1);
  photos.set(name, rendered);
  return rendered;
}

/**
 * A dark rounded bottle with a white label on white, as SVG (large sizes render quickly), tilted so
 * its whole outline is anti-aliased.
 */
function bottleSvg(width: number, height: number, withBackground: boolean) {
  const bw = width * 0.22;
  const x = (width - bw) / 2;
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    ${withBackground ? `<rect width="${width}" height="${height}" fill="#fbfbfb"/>` : ""}
    <g transform="rotate(7 ${width / 2} ${height / 2})">
    <rect x="${x}" y="${height * 0.22}" width="${bw}" height="${height * 0.66}" rx="${bw * 0.15}" fill="#1d2a4a"/>
    <rect x="${width / 2 - bw * 0.18}" y="${height * 0.12}" width="${bw * 0.36}" height="${height * 0.12}" fill="#1d2a4a"/>
    ${withBackground ? `<rect x="${x + bw * 0.15}" y="${height * 0.45}" width="${bw * 0.7}" height="${height * 0.2}" fill="#fbfbfb"/>` : ""}
    </g>
  </svg>`);
}

function iou(a: Uint8Array, aStride: number, b: Uint8Array, bStride: number, pixels: number) {
  let both = 0;
  let either = 0;
  for (let i = 0; i < pixels; i++) {
    const x = a[i * aStride + aStride - 1]! >= 128;
    const y = b[i * bStride + bStride - 1]! >= 128;
    if (x && y) both++;
    if (x || y) either++;
  }
  return both / either;
}

describe("removeBackground: what it refuses", () => {
  it.each(Object.keys(BUSY_BACKGROUNDS))("refuses a product in front of %s, in plain words", async (name) => {
    const bytes = await busyPhoto(name);
    const result = await removeBackground(bytes);
    expect(result.kind).toBe("busy");
    if (result.kind !== "busy") return;
    expect(result.reason).toMatch(/background/i);
    expect(result.reason).not.toMatch(/error|exception|undefined|NaN/i);
    expect((await plainBorder(bytes)).plain).toBe(false);
  });

  it("says when nothing stands out from a plain background", async () => {
    const bytes = await sharp({ create: { width: 640, height: 480, channels: 3, background: "#f4f4f2" } })
      .jpeg({ quality: 85 })
      .toBuffer();
    const result = await removeBackground(bytes);
    expect(result).toEqual({ kind: "empty", reason: expect.stringMatching(/no product/i) });
  });

  it("turns unreadable bytes into the intake's 4xx errors, never a crash", async () => {
    const text = removeBackground(Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"));
    await expect(text).rejects.toBeInstanceOf(ApiError);
    await expect(text).rejects.toMatchObject({ status: 415 });
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: "#fff" } })
      .png()
      .toBuffer();
    const truncated = removeBackground(png.subarray(0, 60));
    await expect(truncated).rejects.toBeInstanceOf(ApiError);
    await expect(truncated).rejects.toSatisfy((e: ApiError) => e.status >= 400 && e.status < 500);
  });
});

describe("removeBackground: limits and sizes", () => {
  it("refuses an image over the pixel limit from its header (413), before decoding it", async () => {
    const bytes = (await photo("bottle-navy-white-label")).bytes;
    const over = removeBackground(bytes, { maxPixels: 800 * 600 - 1 });
    await expect(over).rejects.toMatchObject({ status: 413, code: "image_too_many_pixels" });
    await expect(plainBorder(bytes, { maxPixels: 1000 })).rejects.toMatchObject({ status: 413 });
    expect((await removeBackground(bytes, { maxPixels: 800 * 600 })).kind).toBe("cutout");

    // 100 megapixels of one colour compress to a few kilobytes: the default limit (50 MP) stops them.
    const bomb = await sharp({ create: { width: 10_000, height: 10_000, channels: 3, background: "#fff" } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(bomb.byteLength).toBeLessThan(1_000_000);
    await expect(removeBackground(bomb)).rejects.toMatchObject({ status: 413 });
  });

  it("cuts out a 6-megapixel photo at full size, the edge following the full-resolution image", async () => {
    const [width, height] = [3000, 2000];
    const bytes = await sharp(bottleSvg(width, height, true))
      .jpeg({ quality: 90 })
      .toBuffer();
    const truth = await sharp(bottleSvg(width, height, false))
      .ensureAlpha()
      .raw()
      .toBuffer();
    const result = await removeBackground(bytes);
    expect(result.kind).toBe("cutout");
    if (result.kind !== "cutout") return;
    expect([result.image.width, result.image.height]).toEqual([width, height]);
    // The white label inside the bottle is product too: the truth has no hole there.
    expect(iou(result.image.data, 4, truth, 4, width * height)).toBeGreaterThanOrEqual(0.99);
    // Partial alpha where the true edge is partial, not a blocky mask enlarged from working resolution.
    let partial = 0;
    let error = 0;
    for (let i = 0; i < width * height; i++) {
      const t = truth[i * 4 + 3]!;
      if (t < 13 || t > 242) continue;
      partial++;
      error += Math.abs(result.image.data[i * 4 + 3]! - t) / 255;
    }
    expect(partial).toBeGreaterThan(2000);
    expect(error / partial).toBeLessThanOrEqual(0.15);
  });

  it.each([
    ["a greyscale JPEG", (s: Sharp) => s.flatten().toColourspace("b-w").jpeg()],
    ["a CMYK JPEG", (s: Sharp) => s.flatten().toColourspace("cmyk").jpeg()],
    ["a 16-bit PNG", (s: Sharp) => s.flatten().toColourspace("rgb16").png()],
    ["a WebP", (s: Sharp) => s.flatten().webp({ quality: 90 })],
    ["a TIFF", (s: Sharp) => s.flatten().tiff()],
  ])("reads %s and answers 8-bit RGBA", async (_name, encode) => {
    const [width, height] = [480, 640];
    const bytes = await encode(sharp(bottleSvg(width, height, true))).toBuffer();
    const truth = await sharp(bottleSvg(width, height, false))
      .ensureAlpha()
      .raw()
      .toBuffer();
    const result = await removeBackground(bytes);
    expect(result.kind).toBe("cutout");
    if (result.kind !== "cutout") return;
    expect(result.image.data.length).toBe(width * height * 4);
    expect(iou(result.image.data, 4, truth, 4, width * height)).toBeGreaterThanOrEqual(0.97);
  });

  it("answers that a tiny image has nothing to cut out", async () => {
    const bytes = await sharp({ create: { width: 5, height: 5, channels: 3, background: "#123" } })
      .png()
      .toBuffer();
    expect(await removeBackground(bytes)).toMatchObject({ kind: "empty" });
  });

  it("follows the EXIF orientation, as intake does", async () => {
    const source = await photo("bottle-navy-white-label");
    const rotated = await sharp(source.bytes)
      .withMetadata({ orientation: 6 })
      .jpeg({ quality: 92 })
      .toBuffer();
    const result = await removeBackground(rotated);
    expect(result.kind).toBe("cutout");
    if (result.kind !== "cutout") return;
    expect([result.image.width, result.image.height]).toEqual([source.height, source.width]);
  });

  it("is deterministic, and its PNG holds the same pixels", async () => {
    const bytes = (await photo("jar-amber-mint")).bytes;
    const first = await removeBackground(bytes);
    const second = await removeBackground(bytes);
    expect(first.kind).toBe("cutout");
    if (first.kind !== "cutout" || second.kind !== "cutout") return;
    expect(Buffer.compare(first.image.data, second.image.data)).toBe(0);
    expect(first.confidence).toBe(second.confidence);
    expect(first.confidence).toBeGreaterThan(0.5);
    expect(first.confidence).toBeLessThanOrEqual(1);
    const png = await cutoutPng(first.image);
    const decoded = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect(decoded.info).toMatchObject({ format: "raw", channels: 4, width: first.image.width });
    expect(Buffer.compare(decoded.data, first.image.data)).toBe(0);
  });
});

describe("removeBackground: images that already have transparency", () => {
  let cutout: Buffer;
  beforeAll(async () => {
    const { width, height } = { width: 600, height: 800 };
    cutout = await sharp(bottleSvg(width, height, false))
      .png()
      .toBuffer();
  });

  it("hands an existing cutout back unchanged, saying why", async () => {
    const result = await removeBackground(cutout);
    expect(result.kind).toBe("unchanged");
    if (result.kind !== "unchanged") return;
    expect(result.reason).toMatch(/already has a transparent background/);
    const original = await sharp(cutout).ensureAlpha().raw().toBuffer();
    expect(Buffer.compare(result.image.data, original)).toBe(0);
  });

  it("treats an alpha channel that is opaque everywhere as no transparency", async () => {
    const source = await photo("jar-amber-mint");
    const opaque = await sharp(source.bytes).ensureAlpha(1).png().toBuffer();
    expect((await sharp(opaque).metadata()).hasAlpha).toBe(true);
    expect((await removeBackground(opaque)).kind).toBe("cutout");
    expect((await plainBorder(opaque)).hasAlpha).toBe(false);
  });
});

describe("removeBackground: product parts the colour of the background", () => {
  it("keeps a white cap running off the top edge, which a colour key would punch out", async () => {
    const p = await photo("bottle-white-cap-off-top");
    const result = await removeBackground(p.bytes);
    expect(result.kind).toBe("cutout");
    if (result.kind !== "cutout") return;
    const original = await sharp(p.bytes).removeAlpha().raw().toBuffer();
    // The cap: product pixels of the top 4 % of the photo whose colour is the background's.
    let cap = 0;
    let kept = 0;
    let keyed = 0;
    for (let y = 0; y < Math.round(p.height * 0.04); y++) {
      for (let x = 0; x < p.width; x++) {
        const i = y * p.width + x;
        if (p.alpha[i] !== 255) continue;
        const d = Math.hypot(
          original[i * 3]! - p.background[i * 3]!,
          original[i * 3 + 1]! - p.background[i * 3 + 1]!,
          original[i * 3 + 2]! - p.background[i * 3 + 2]!,
        );
        if (d >= 20) continue;
        cap++;
        if (result.image.data[i * 4 + 3]! >= 128) kept++;
        if (d >= 12) keyed++;
      }
    }
    expect(cap).toBeGreaterThan(1000);
    expect(kept / cap).toBeGreaterThanOrEqual(0.97);
    // A colour key that removes everything within 12 levels of the background would lose most of it.
    expect(keyed / cap).toBeLessThan(0.5);
  });
});

describe("plainBorder", () => {
  it.each([
    "bottle-navy-white-label",
    "bottle-white-cap-off-top",
    "jar-amber-mint",
    "can-yellow",
    "bottle-white-on-charcoal",
    "wine-long-neck",
    "drawn-13-box-teal",
  ])("calls the border of %s plain and names its colour", async (name) => {
    const p = await photo(name);
    const answer = await plainBorder(p.bytes);
    expect(answer.plain).toBe(true);
    expect(answer.hasAlpha).toBe(false);
    const [r, g, b] = p.spec.backdrop.colour;
    // The mean border colour: the backdrop's, give or take its gradient or vignette.
    expect(Math.abs(answer.color!.r - r)).toBeLessThanOrEqual(30);
    expect(Math.abs(answer.color!.g - g)).toBeLessThanOrEqual(30);
    expect(Math.abs(answer.color!.b - b)).toBeLessThanOrEqual(30);
  });

  it("reports transparency", async () => {
    const cutout = await sharp(bottleSvg(600, 800, false))
      .png()
      .toBuffer();
    const answer = await plainBorder(cutout);
    expect(answer.hasAlpha).toBe(true);
    // Judged as it would look on white: a transparent border is plain.
    expect(answer).toMatchObject({ plain: true, color: { r: 255, g: 255, b: 255 } });
  });
});
