import sharp from "sharp";
import { describe, expect, it } from "vitest";

import { ApiError } from "@/lib/server/errors";
import { describeStoredImage } from "@/lib/server/images/describe";
import { intakeImage } from "@/lib/server/images/intake";
import { objectStoreFor } from "@/lib/server/storage";

import { bombPng, cutoutPng, gif, heicHeader, pngPolyglot, sidewaysJpeg, SVG_WITH_SCRIPT } from "./files";

const store = objectStoreFor(process.env.DATA_DIR ?? "./data");
const limits = { maxBytes: 2 * 1024 * 1024, maxPixels: 20_000_000 };

async function refused(bytes: Buffer, options = { store, limits }) {
  try {
    await intakeImage(bytes, options);
  } catch (error) {
    if (error instanceof ApiError) return { status: error.status, code: error.code, body: error.toBody() };
    throw error;
  }
  throw new Error("intake accepted the file");
}

describe("image intake", () => {
  it("stores a cutout as PNG under its content hash, with its object box", async () => {
    const png = await cutoutPng(300, 200, { x: 40, y: 30, width: 100, height: 120 }, [
      { x: 290, y: 190, alpha: 7 }, // below the threshold: not product
      { x: 5, y: 180, alpha: 8 }, // at the threshold: product
    ]);
    const image = await intakeImage(png, { store, limits });
    expect(image).toMatchObject({
      width: 300,
      height: 200,
      format: "png",
      mime: "image/png",
      hasAlpha: true,
      objectBox: { x: 5, y: 30, width: 135, height: 151 },
    });
    expect(image.key).toMatch(/^[a-f0-9]{64}\.png$/);
    expect(image.url).toBe(`backdrop://files/${image.key}`);
    const stored = await store.get(image.key);
    expect(stored && (await sharp(stored).metadata()).format).toBe("png");
    expect((await intakeImage(png, { store, limits })).key).toBe(image.key);
    expect(await describeStoredImage(image.key, store)).toMatchObject({
      objectBox: image.objectBox,
      width: 300,
    });
  });

  it("measures the object box of a stored image it did not take in itself", async () => {
    const png = await cutoutPng(50, 60, { x: 10, y: 20, width: 5, height: 7 });
    const { key } = await store.put(png, "png");
    expect(await describeStoredImage(key, store)).toMatchObject({
      width: 50,
      height: 60,
      objectBox: { x: 10, y: 20, width: 5, height: 7 },
    });
    expect(await describeStoredImage(`${"0".repeat(64)}.png`, store)).toBeUndefined();
  });

  it("uses the whole image as object box without alpha or when nothing reaches the threshold", async () => {
    const opaque = await sharp({ create: { width: 64, height: 32, channels: 3, background: "#808080" } })
      .png()
      .toBuffer();
    expect((await intakeImage(opaque, { store, limits })).objectBox).toEqual({
      x: 0,
      y: 0,
      width: 64,
      height: 32,
    });
    const clear = await cutoutPng(40, 30, { x: 0, y: 0, width: 0, height: 0 }, [{ x: 3, y: 3, alpha: 2 }]);
    expect((await intakeImage(clear, { store, limits })).objectBox).toEqual({
      x: 0,
      y: 0,
      width: 40,
      height: 30,
    });
  });

  it("auto-orients JPEGs, keeps them JPEG and strips their metadata", async () => {
    const jpeg = await sidewaysJpeg();
    expect((await sharp(jpeg).metadata()).exif).toBeDefined();
    const image = await intakeImage(jpeg, { store, limits });
    expect(image).toMatchObject({ width: 40, height: 60, format: "jpeg", hasAlpha: false });
    expect(image.original).toMatchObject({ format: "jpeg", width: 60, height: 40 });
    const stored = await store.get(image.key);
    const meta = await sharp(stored).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation ?? 1).toBe(1);
    expect(stored?.includes(Buffer.from("secret-owner-name"))).toBe(false);
  });

  it.each([
    [
      "webp",
      () =>
        sharp({ create: { width: 8, height: 8, channels: 4, background: "#00ff0080" } })
          .webp()
          .toBuffer(),
    ],
    [
      "avif",
      () =>
        sharp({ create: { width: 8, height: 8, channels: 3, background: "#00ff00" } })
          .avif()
          .toBuffer(),
    ],
    [
      "tiff",
      () =>
        sharp({ create: { width: 8, height: 8, channels: 3, background: "#00ff00" } })
          .tiff()
          .toBuffer(),
    ],
    ["gif", gif],
  ])("takes %s and re-encodes it as PNG", async (format, make) => {
    const image = await intakeImage(await make(), { store, limits });
    expect(image.original.format).toBe(format);
    expect(image.format).toBe("png");
  });

  it.each([
    ["SVG with a script", SVG_WITH_SCRIPT, 415, "unsupported_image_type"],
    [
      "HTML",
      Buffer.from("<!doctype html><html><script>alert(1)</script></html>"),
      415,
      "unsupported_image_type",
    ],
    ["PDF", Buffer.from("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"), 415, "unsupported_image_type"],
    ["HEIC this server cannot decode", heicHeader(), 415, "unsupported_image_type"],
    ["PNG header followed by HTML", pngPolyglot(), 422, "image_unreadable"],
    [
      "GIF magic followed by HTML",
      Buffer.from("GIF89a<html><script>alert(1)</script></html>"),
      422,
      "image_unreadable",
    ],
    ["empty file", Buffer.alloc(0), 415, "unsupported_image_type"],
  ])("refuses %s", async (_name, bytes, status, code) => {
    const answer = await refused(bytes);
    expect(answer).toMatchObject({ status, code });
    expect(answer.body.error_type).toBe("image");
    expect(answer.body.error_message.length).toBeGreaterThan(10);
  });

  it("refuses a truncated PNG as unreadable", async () => {
    const png = await sharp({ create: { width: 300, height: 300, channels: 3, background: "#123456" } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    expect(await refused(png.subarray(0, Math.floor(png.length / 2)))).toMatchObject({
      status: 422,
      code: "image_unreadable",
    });
  });

  it("refuses too many bytes before looking at them", async () => {
    const answer = await refused(Buffer.alloc(limits.maxBytes + 1, 0xff));
    expect(answer).toMatchObject({ status: 413, code: "image_too_large" });
  });

  it("refuses a 100-megapixel PNG of a few kilobytes from its header, with memory bounded", async () => {
    const bomb = bombPng(10_000);
    expect(bomb.length).toBeLessThan(64 * 1024);
    const before = process.memoryUsage().rss;
    const answer = await refused(bomb, {
      store,
      limits: { maxBytes: limits.maxBytes, maxPixels: 50_000_000 },
    });
    const grown = process.memoryUsage().rss - before;
    expect(answer).toMatchObject({ status: 413, code: "image_too_many_pixels" });
    expect(answer.body.error_details).toMatchObject({ width: 10_000, height: 10_000 });
    expect(grown).toBeLessThan(200 * 1024 * 1024);
  });
});
