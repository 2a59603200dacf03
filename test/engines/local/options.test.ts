import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { EngineResult } from "@/lib/server/engines/types";
import { ApiError } from "@/lib/server/errors";

import { testConfig } from "../../support/config";
import { productPng, templatePng } from "./fixtures";
import { decoded, outputBytes, render, storeImage } from "./harness";

const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "backdrop-storage-"));
const inDir = fs.mkdtempSync(path.join(os.tmpdir(), "backdrop-inputs-"));
const config = testConfig({
  STORAGES: `out=${outDir},in=${inDir}`,
  ALLOW_LOOPBACK_FETCH: "1",
  MAX_UPLOAD_BYTES: String(3 * 1024 * 1024),
});

const RED = { r: 220, g: 30, b: 30 };
let product = "";
let template = "";
let server: http.Server;
let base = "";
let productBytes: Buffer;

beforeAll(async () => {
  productBytes = await productPng({
    width: 400,
    height: 300,
    box: { x: 100, y: 50, width: 200, height: 200 },
    colour: RED,
  });
  product = (await storeImage(config, productBytes)).url;
  template = (await storeImage(config, await templatePng(1024, 1024))).url;
  fs.writeFileSync(path.join(inDir, "product.png"), productBytes);
  fs.writeFileSync(path.join(inDir, "notes.txt"), "not an image at all");
  fs.writeFileSync(path.join(outDir, "outside.png"), productBytes);
  fs.symlinkSync(path.join(outDir, "outside.png"), path.join(inDir, "link.png"));
  server = http.createServer((req, res) => {
    if (req.url === "/product.png") {
      res.writeHead(200, { "content-type": "image/png" });
      res.end(productBytes);
    } else if (req.url === "/page.html") {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html><body>hello</body></html>");
    } else if (req.url === "/huge.png") {
      res.writeHead(200, { "content-type": "image/png" });
      res.end(Buffer.alloc(4 * 1024 * 1024));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.rmSync(inDir, { recursive: true, force: true });
});

const small = { scale: 0.3, position: { x: 0.3, y: 0.6 } };
const effect = (extra: Record<string, unknown> = {}) => ({ effect: "shadows", ...extra });

async function one(
  scene: Record<string, unknown>,
  output: unknown = { number_of_images: 1 },
  object: Record<string, unknown> = small,
) {
  const result = await render(config, { object: { image_url: product, ...object }, scene, output });
  return { result, bytes: await outputBytes(config, result) };
}

async function refusal(body: unknown) {
  try {
    await render(config, body);
  } catch (error) {
    if (error instanceof ApiError) return { status: error.status, code: error.code, details: error.details };
    throw error;
  }
  throw new Error("the engine rendered it");
}

const pixel = (image: Awaited<ReturnType<typeof decoded>>, x: number, y: number) => [
  ...image.pixels.subarray(
    (y * image.width + x) * image.channels,
    (y * image.width + x + 1) * image.channels,
  ),
];

describe("output formats", () => {
  it.each([
    [
      "png",
      "png",
      "image/png",
      "PNG",
      (b: Buffer) => b.subarray(0, 8).equals(Buffer.from("89504e470d0a1a0a", "hex")),
    ],
    ["jpeg", "jpg", "image/jpeg", "JPEG", (b: Buffer) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
    [
      "webp",
      "webp",
      "image/webp",
      "WEBP",
      (b: Buffer) => b.toString("ascii", 0, 4) === "RIFF" && b.toString("ascii", 8, 12) === "WEBP",
    ],
    ["avif", "avif", "image/avif", "AVIF", (b: Buffer) => b.toString("ascii", 4, 12) === "ftypavif"],
    [
      "tiff",
      "tiff",
      "image/tiff",
      "TIFF",
      (b: Buffer) => ["II*\u0000", "MM\u0000*"].includes(b.toString("latin1", 0, 4)),
    ],
  ])("%s: magic bytes and output info", async (format, ext, mime, name, magic) => {
    const { result, bytes } = await one(effect(), { number_of_images: 1, format });
    expect(magic(bytes)).toBe(true);
    const meta = await sharp(bytes).metadata();
    expect(result.outputs[0]?.info).toEqual({
      ext,
      mime,
      format: name,
      width: 1024,
      height: 1024,
      mps: 1.048576,
    });
    expect([meta.width, meta.height]).toEqual([1024, 1024]);
    expect(meta.hasAlpha).toBe(false);
  });

  it("describes the input image in the response", async () => {
    const { result } = await one(effect());
    expect(result.input).toEqual({
      ext: "png",
      mime: "image/png",
      format: "PNG",
      width: 400,
      height: 300,
      mps: 0.12,
    });
  });

  it("spec defaults: png optimal, jpeg 85 progressive, webp lossy 75, avif lossy 50", async () => {
    const same = async (a: unknown, b: unknown) =>
      (await one(effect(), a)).bytes.equals((await one(effect(), b)).bytes);
    expect(
      await same(
        { number_of_images: 1 },
        { number_of_images: 1, format: { type: "png", compression: "optimal" } },
      ),
    ).toBe(true);
    expect(
      await same(
        { format: "jpeg", number_of_images: 1 },
        { number_of_images: 1, format: { type: "jpeg", quality: 85, progressive: true } },
      ),
    ).toBe(true);
    expect(
      await same(
        { format: "jpeg", number_of_images: 1 },
        { number_of_images: 1, format: { type: "jpeg", quality: 84 } },
      ),
    ).toBe(false);
    expect(
      await same(
        { format: "webp", number_of_images: 1 },
        { number_of_images: 1, format: { type: "webp", compression: { type: "lossy", quality: 75 } } },
      ),
    ).toBe(true);
    expect(
      await same(
        { format: "webp", number_of_images: 1 },
        { number_of_images: 1, format: { type: "webp", compression: "lossy" } },
      ),
    ).toBe(true);
    expect(
      await same(
        { format: "avif", number_of_images: 1 },
        { number_of_images: 1, format: { type: "avif", compression: { type: "lossy", quality: 50 } } },
      ),
    ).toBe(true);
  });

  it("png compression: fast ≥ optimal ≥ best in bytes, identical pixels", async () => {
    const scene = { prompt: "concrete floor, grey wall" };
    const sizes: number[] = [];
    const pixels: Buffer[] = [];
    for (const compression of ["fast", "optimal", "best"]) {
      const { bytes } = await one(scene, { number_of_images: 1, format: { type: "png", compression } });
      sizes.push(bytes.length);
      pixels.push((await decoded(bytes)).pixels);
    }
    expect(sizes[0]).toBeGreaterThan(sizes[1] ?? 0);
    expect(sizes[1]).toBeGreaterThanOrEqual(sizes[2] ?? 0);
    expect(pixels[0]?.equals(pixels[1] ?? Buffer.alloc(0))).toBe(true);
    expect(pixels[1]?.equals(pixels[2] ?? Buffer.alloc(0))).toBe(true);
  });

  it("jpeg: progressive by default, baseline on request; quality orders the size", async () => {
    const scene = { prompt: "linen cloth" };
    const progressive = await sharp(
      (await one(scene, { number_of_images: 1, format: "jpeg" })).bytes,
    ).metadata();
    const baseline = await sharp(
      (await one(scene, { number_of_images: 1, format: { type: "jpeg", progressive: false } })).bytes,
    ).metadata();
    expect(progressive.isProgressive).toBe(true);
    expect(baseline.isProgressive).toBe(false);
    const low = (await one(scene, { number_of_images: 1, format: { type: "jpeg", quality: 20 } })).bytes
      .length;
    const high = (await one(scene, { number_of_images: 1, format: { type: "jpeg", quality: 95 } })).bytes
      .length;
    expect(low).toBeLessThan(high);
  });

  it.each(["webp", "avif"])(
    "%s: lossless keeps every pixel, lossy does not; quality orders the size",
    async (type) => {
      const scene = { prompt: "oak wood table" };
      const reference = (await decoded((await one(scene, { number_of_images: 1, format: "png" })).bytes))
        .pixels;
      const lossless = await one(scene, { number_of_images: 1, format: { type, compression: "lossless" } });
      const lossy = await one(scene, {
        number_of_images: 1,
        format: { type, compression: { type: "lossy", quality: 90 } },
      });
      const rough = await one(scene, {
        number_of_images: 1,
        format: { type, compression: { type: "lossy", quality: 10 } },
      });
      expect((await decoded(lossless.bytes)).pixels.equals(reference)).toBe(true);
      expect((await decoded(lossy.bytes)).pixels.equals(reference)).toBe(false);
      expect(rough.bytes.length).toBeLessThan(lossy.bytes.length);
      if (type === "webp") {
        expect(lossless.bytes.includes(Buffer.from("VP8L"))).toBe(true);
        expect(lossy.bytes.includes(Buffer.from("VP8 "))).toBe(true);
      }
    },
  );

  it("tiff is lossless", async () => {
    const scene = { prompt: "paper backdrop" };
    const png = (await decoded((await one(scene, { number_of_images: 1, format: "png" })).bytes)).pixels;
    const tiff = (await decoded((await one(scene, { number_of_images: 1, format: "tiff" })).bytes)).pixels;
    expect(tiff.equals(png)).toBe(true);
  });
});

describe("backgrounds", () => {
  it("colour: white by default, the hex given otherwise, 422 for anything else", async () => {
    const white = await decoded((await one(effect())).bytes);
    expect(pixel(white, 1010, 10)).toEqual([255, 255, 255]);
    const blue = await decoded((await one(effect({ color: "#336699" }))).bytes);
    expect(pixel(blue, 1010, 10)).toEqual([0x33, 0x66, 0x99]);
    expect(pixel(blue, Math.round(0.3 * 1024), Math.round(0.4 * 1024))).toEqual([RED.r, RED.g, RED.b]);
    expect(
      await refusal({ object: { image_url: product }, scene: effect({ color: "blue-ish" }) }),
    ).toMatchObject({
      status: 422,
      code: "invalid_color",
    });
  });

  it.each(["png", "webp", "avif"])("transparent in %s: clear corners, opaque product", async (format) => {
    const format_ = format === "png" ? "png" : { type: format, compression: "lossless" };
    const image = await decoded(
      (await one(effect({ color: "transparent" }), { number_of_images: 1, format: format_ })).bytes,
    );
    expect(image.channels).toBe(4);
    expect(pixel(image, 5, 5)[3]).toBe(0);
    expect(pixel(image, 1018, 1018)[3]).toBe(0);
    expect(pixel(image, Math.round(0.3 * 1024), Math.round(0.4 * 1024))).toEqual([RED.r, RED.g, RED.b, 255]);
  });

  it.each(["jpeg", "tiff"])("transparent in %s: 422", async (format) => {
    expect(
      await refusal({
        object: { image_url: product },
        scene: effect({ color: "transparent" }),
        output: { format },
      }),
    ).toMatchObject({ status: 422, code: "transparent_needs_alpha_format" });
  });

  it("prompt: colour words, `color` and light/dark words set the palette", async () => {
    const corner = async (scene: Record<string, unknown>) =>
      pixel(await decoded((await one(scene)).bytes), 20, 20);
    const [r1, , b1] = await corner({ prompt: "red wall studio" });
    const [r2, , b2] = await corner({ prompt: "blue wall studio" });
    expect((r1 ?? 0) - (b1 ?? 0)).toBeGreaterThan(50);
    expect((b2 ?? 0) - (r2 ?? 0)).toBeGreaterThan(50);
    const [gr, gg, gb] = await corner({ prompt: "red wall studio", color: "#00aa00" });
    expect((gg ?? 0) - Math.max(gr ?? 0, gb ?? 0)).toBeGreaterThan(50);
    const light = await corner({ prompt: "light airy grey studio" });
    const dark = await corner({ prompt: "dark moody grey studio" });
    expect((light[0] ?? 0) - (dark[0] ?? 0)).toBeGreaterThan(60);
  });

  it("prompt: a material gives the floor its texture", async () => {
    const roughness = async (prompt: string) => {
      const { data, info } = await sharp(
        (await one({ prompt }, { number_of_images: 1 }, { scale: 0.05, position: { x: 0.05, y: 0.95 } }))
          .bytes,
      )
        .extract({ left: 100, top: 900, width: 800, height: 100 })
        .greyscale()
        .raw()
        .toBuffer({ resolveWithObject: true });
      const { channels } = await sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } })
        .convolve({ width: 3, height: 3, kernel: [0, -1, 0, -1, 4, -1, 0, -1, 0], offset: 128 })
        .stats();
      return channels[0]?.stdev ?? 0;
    };
    expect(await roughness("concrete floor and wall")).toBeGreaterThan(await roughness("plain studio"));
  });

  it("accepts negative_prompt, steps, model, preference and an advanced prompt", async () => {
    const { result } = await one({
      prompt: { text: "marble counter" },
      negative_prompt: "people, text",
      steps: 20,
      model: "v2",
      preference: "best",
      aspect_ratio: "16:9",
    });
    expect(result.outputs[0]?.info).toMatchObject({ width: 1360, height: 765 });
    expect((await one({ prompt: { generate: true, guidelines: "warm tones" } })).result.outputs).toHaveLength(
      1,
    );
  });
});

describe("templates", () => {
  const corner = { scale: 0.15, position: { x: 0.85, y: 0.15 } };
  async function templateOutput(mode: string, extra: Record<string, unknown> = {}) {
    const { bytes } = await one(
      { template_url: template, view: "front", template_mode: mode, ...extra },
      { number_of_images: 1 },
      corner,
    );
    return sharp(bytes).extract({ left: 0, top: 0, width: 600, height: 600 }).raw().toBuffer();
  }
  let original: Buffer;
  beforeAll(async () => {
    const bytes = await templatePng(1024, 1024);
    original = await sharp(bytes).extract({ left: 0, top: 0, width: 600, height: 600 }).raw().toBuffer();
  });
  const meanDifference = (a: Buffer, b: Buffer) => {
    let sum = 0;
    for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
    return sum / a.length;
  };

  it("lock keeps the template's pixels away from the product", async () => {
    expect((await templateOutput("lock")).equals(original)).toBe(true);
  });

  it("adjust changes the template a little, transform clearly, toward the colour", async () => {
    const adjust = meanDifference(await templateOutput("adjust", { color: "#ff0000" }), original);
    const transform = meanDifference(await templateOutput("transform", { color: "#ff0000" }), original);
    expect(adjust).toBeGreaterThan(1);
    expect(transform).toBeGreaterThan(adjust * 1.5);
    const red = await templateOutput("transform", { color: "#ff0000" });
    let redder = 0;
    for (let i = 0; i < red.length; i += 3)
      redder += (red[i] ?? 0) - (original[i] ?? 0) - ((red[i + 2] ?? 0) - (original[i + 2] ?? 0));
    expect(redder / (red.length / 3)).toBeGreaterThan(5);
  });

  it("takes the frame from the template", async () => {
    const wide = (await storeImage(config, await templatePng(1600, 900))).url;
    const { result } = await one({ template_url: wide, view: "top" });
    expect(result.outputs[0]?.info).toMatchObject({ width: 1365, height: 768 });
  });

  it("locked variants still differ (by their shadow)", async () => {
    const result = await render(config, {
      object: { image_url: product, ...corner },
      scene: { template_url: template, view: "front", template_mode: "lock" },
      output: { number_of_images: 2 },
    });
    expect(new Set(result.outputs.map((o) => o.key)).size).toBe(2);
  });
});

describe("shadows", () => {
  /** Mean brightness of a band of rows across the product's width, just above or below it. */
  async function bands(view: string) {
    const image = await decoded((await one(effect({ view }), { number_of_images: 1 }, { scale: 0.4 })).bytes);
    // Product box 200 × 200 at fit 1024/200 × 0.4 → 409.6 px square centred in the frame.
    const top = Math.round(512 - 204.8);
    const bottom = Math.round(512 + 204.8);
    const band = (y0: number, y1: number) => {
      let sum = 0;
      let n = 0;
      for (let y = y0; y < y1; y++) {
        for (let x = 412; x < 612; x++) {
          sum += pixel(image, x, y)[0] ?? 0;
          n++;
        }
      }
      return sum / n;
    };
    return { above: band(top - 14, top - 2), below: band(bottom + 2, bottom + 14) };
  }

  it("front: the shadow falls below the product; top: all around it", async () => {
    const front = await bands("front");
    const top = await bands("top");
    expect(front.below).toBeLessThan(front.above - 20);
    expect(front.above).toBeGreaterThan(235);
    expect(top.above).toBeLessThan(235);
    expect(Math.abs(top.above - top.below)).toBeLessThan(front.above - front.below);
  });
});

describe("variants and determinism", () => {
  it("makes four distinct variants by default", async () => {
    const result = await render(config, { object: { image_url: product }, scene: { prompt: "sand beach" } });
    expect(result.outputs).toHaveLength(4);
    expect(new Set(result.outputs.map((o) => o.key)).size).toBe(4);
  });

  it("makes number_of_images distinct variants", async () => {
    const result = await render(config, {
      object: { image_url: product },
      scene: effect(),
      output: { number_of_images: 3 },
    });
    expect(result.outputs).toHaveLength(3);
    expect(new Set(result.outputs.map((o) => o.key)).size).toBe(3);
  });

  it("renders the same request to the same bytes", async () => {
    const body = {
      object: { image_url: product, rotation_degree: 33 },
      scene: { prompt: "walnut desk" },
      output: { number_of_images: 2, format: "webp" },
    };
    const keys = (r: EngineResult) => r.outputs.map((o) => o.key);
    expect(keys(await render(config, body))).toEqual(keys(await render(config, body)));
    const avif = { ...body, output: { number_of_images: 1, format: "avif" } };
    expect(keys(await render(config, avif))).toEqual(keys(await render(config, avif)));
  });
});

describe("destinations", () => {
  it("writes into the configured folder, with tmp_url left to the caller", async () => {
    for (const output of [
      "storage://out/drafts/",
      { destination: "storage://out/more/", number_of_images: 2, format: "jpeg" },
    ]) {
      const result = await render(config, { object: { image_url: product }, scene: effect(), output });
      for (const out of result.outputs) {
        expect(out.key).toBeUndefined();
        expect(out.destination).toMatch(/^storage:\/\/out\/(drafts|more)\/[a-f0-9]{16}_\d\.(png|jpg)$/);
        const file = path.join(outDir, String(out.info.object_key));
        expect(out.info).toMatchObject({ object_bucket: "out", object_uri: out.destination });
        expect((await sharp(fs.readFileSync(file)).metadata()).width).toBe(1024);
      }
      expect(result.outputs).toHaveLength(typeof output === "string" ? 4 : 2);
    }
  });

  it.each([
    ["storage://nowhere/x/", "unknown_storage"],
    ["storage://constructor/x/", "unknown_storage"],
    ["storage://out/../../etc/", "invalid_storage_path"],
    ["s3://bucket/path/", "unsupported_destination"],
  ])("refuses %s", async (destination, code) => {
    expect(
      await refusal({ object: { image_url: product }, scene: effect(), output: { destination } }),
    ).toMatchObject({ status: 422, code });
  });
});

describe("inputs", () => {
  it("reads storage:// and http(s) inputs", async () => {
    for (const image_url of ["storage://in/product.png", `${base}/product.png`]) {
      const result = await render(config, {
        object: { image_url },
        scene: effect(),
        output: { number_of_images: 1 },
      });
      expect(result.input).toMatchObject({ width: 400, height: 300 });
    }
  });

  it.each([
    ["a missing stored image", () => `backdrop://files/${"a".repeat(64)}.png`, 422, "image_not_found"],
    ["a missing storage file", () => "storage://in/missing.png", 422, "image_not_found"],
    ["an unknown storage", () => "storage://elsewhere/product.png", 422, "unknown_storage"],
    ["a storage named like a property", () => "storage://__proto__/product.png", 422, "unknown_storage"],
    ["a path out of the storage", () => "storage://in/../../etc/passwd", 422, "invalid_storage_path"],
    ["a link out of the storage", () => "storage://in/link.png", 422, "invalid_storage_path"],
    ["a file that is not an image", () => "storage://in/notes.txt", 422, "unsupported_image"],
    ["a 404 URL", () => `${base}/missing.png`, 422, "url_unreachable"],
    ["a web page", () => `${base}/page.html`, 422, "unsupported_image"],
    ["a file over the size limit", () => `${base}/huge.png`, 422, "url_too_large"],
    ["a private address", () => "http://10.1.2.3/product.png", 422, "url_not_allowed"],
    ["another scheme", () => "ftp://example.com/product.png", 422, "unsupported_image_url"],
  ])("refuses %s", async (_name, url, status, code) => {
    const answer = await refusal({ object: { image_url: url() }, scene: effect() });
    expect(answer).toMatchObject({ status, code });
    expect(answer.details).toMatchObject({ fields: { "object.image_url": [expect.any(String)] } });
  });

  it("refuses px padding larger than half the frame", async () => {
    expect(
      await refusal({
        object: { image_url: product, placement_type: "padding", padding: "600px" },
        scene: effect(),
      }),
    ).toMatchObject({ status: 422, code: "padding_too_large" });
  });
});
