/**
 * GET /api/previews/backdrop: the draft engine's backdrop for a scene, small, for the composer's canvas.
 * It must look like the drafts (same palette, tint and template), keep the frame's shape, be the same
 * bytes for the same scene, and refuse what the engine could not draw with field paths.
 */
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";

import { GET } from "@/app/api/previews/backdrop/route";
import { storedImageUrl } from "@/lib/scene/image-ref";
import { backdropPreviewHref } from "@/lib/scene/preview-link";
import { objectStoreFor } from "@/lib/server/storage";

import { outputBytes, render, storeImage } from "../engines/local/harness";
import { testConfig } from "../support/config";
import { memberToken } from "../support/member-token";
import { productPng, templateJpeg } from "../support/product-images";

const ORIGIN = "http://127.0.0.1:3999";
let token: string;
let product: string;
let template: string;

const config = () => testConfig({ PORT: new URL(ORIGIN).port });

beforeAll(async () => {
  const c = config();
  token = await memberToken(c);
  // A small product in a corner, so a draft's backdrop can be read around it.
  product = (await storeImage(c, await productPng(60, 40, { x: 10, y: 10, width: 40, height: 20 }))).url;
  template = storedImageUrl((await objectStoreFor(c.DATA_DIR).put(await templateJpeg(), "jpg")).key);
}, 180_000);

function get(scene: unknown, frame = { width: 1024, height: 1024 }) {
  return GET(
    new Request(`${ORIGIN}${backdropPreviewHref(scene, frame)}`, {
      headers: { authorization: `Bearer ${token}` },
    }),
  );
}

async function pixels(bytes: Buffer, size?: { width: number; height: number }) {
  const image = sharp(bytes).removeAlpha();
  const { data, info } = await (size ? image.resize(size.width, size.height, { fit: "fill" }) : image)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** The mean colour of a region given in fractions of the image. */
function mean(image: Awaited<ReturnType<typeof pixels>>, region: [number, number, number, number]) {
  const [u0, v0, u1, v1] = region;
  const sum = [0, 0, 0];
  let n = 0;
  for (let y = Math.floor(v0 * image.height); y < Math.floor(v1 * image.height); y++) {
    for (let x = Math.floor(u0 * image.width); x < Math.floor(u1 * image.width); x++) {
      const i = (y * image.width + x) * 3;
      for (let c = 0; c < 3; c++) sum[c]! += image.data[i + c] ?? 0;
      n++;
    }
  }
  return sum.map((s) => s / n);
}

async function preview(scene: unknown, frame?: { width: number; height: number }) {
  const response = await get(scene, frame);
  expect(response.status, await response.clone().text()).toBe(200);
  expect(response.headers.get("content-type")).toBe("image/webp");
  expect(response.headers.get("cache-control")).toBe("private, max-age=3600");
  return Buffer.from(await response.arrayBuffer());
}

describe("GET /api/previews/backdrop", () => {
  it("is the frame's shape, at most 512 px long, and the same bytes for the same scene", async () => {
    const wide = await preview({ prompt: "grey concrete floor" }, { width: 1254, height: 836 });
    expect(await sharp(wide).metadata()).toMatchObject({ width: 512, height: 341, format: "webp" });
    expect(
      (await preview({ prompt: "grey concrete floor" }, { width: 1254, height: 836 })).equals(wide),
    ).toBe(true);
  });

  it("looks like the draft: the prompt's palette, or the colour given, away from the product", async () => {
    for (const scene of [{ prompt: "deep blue velvet backdrop" }, { prompt: "studio", color: "#c0392b" }]) {
      const shown = await pixels(await preview(scene), { width: 256, height: 256 });
      const result = await render(config(), {
        object: { image_url: product, scale: 0.1, position: { x: 0.1, y: 0.9 } },
        scene,
        output: { number_of_images: 1 },
      });
      const drafted = await pixels(await outputBytes(config(), result), { width: 256, height: 256 });
      // The wall (upper right) and the floor (lower middle), where the product and its shadow are not.
      for (const region of [
        [0.55, 0.1, 0.95, 0.4],
        [0.3, 0.8, 0.7, 0.95],
      ] as [number, number, number, number][]) {
        const a = mean(shown, region);
        const b = mean(drafted, region);
        for (let c = 0; c < 3; c++)
          expect(Math.abs(a[c]! - b[c]!), JSON.stringify({ scene, a, b })).toBeLessThan(24);
      }
    }
  });

  it("different words give different backdrops", async () => {
    const blue = mean(await pixels(await preview({ prompt: "deep blue velvet backdrop" })), [0, 0, 1, 0.5]);
    const red = mean(await pixels(await preview({ prompt: "red brick wall" })), [0, 0, 1, 0.5]);
    expect(blue[2]! - blue[0]!).toBeGreaterThan(30);
    expect(red[0]! - red[2]!).toBeGreaterThan(30);
  });

  it("a template: kept as it is when locked, tinted by its colour otherwise", async () => {
    const frame = { width: 1254, height: 836 };
    const original = await pixels(await templateJpeg(), { width: 512, height: 341 });
    const locked = await pixels(
      await preview({ template_url: template, view: "front", template_mode: "lock" }, frame),
    );
    const sky = mean(original, [0.1, 0.1, 0.9, 0.4]);
    const lockedSky = mean(locked, [0.1, 0.1, 0.9, 0.4]);
    for (let c = 0; c < 3; c++) expect(Math.abs(lockedSky[c]! - sky[c]!)).toBeLessThan(6);
    const tinted = mean(
      await pixels(await preview({ template_url: template, view: "front", color: "#00ff00" }, frame)),
      [0.1, 0.1, 0.9, 0.4],
    );
    expect(tinted[1]! - tinted[0]!).toBeGreaterThan(lockedSky[1]! - lockedSky[0]! + 20);
  });

  it("refuses what the engine could not draw, with the field each reason is about", async () => {
    const word = await get({ prompt: "on oak", color: "red" });
    expect(word.status).toBe(422);
    expect(
      ((await word.json()) as { error_details: { fields: object } }).error_details.fields,
    ).toHaveProperty("scene.color");
    const tiny = await get({ prompt: "on oak" }, { width: 0, height: 20 });
    expect(tiny.status).toBe(422);
    const missing = await get({ template_url: "backdrop://files/0000000000000000.png", view: "front" });
    expect(missing.status).toBe(422);
    expect(
      ((await missing.json()) as { error_details: { fields: object } }).error_details.fields,
    ).toHaveProperty("scene.template_url");
    const unreadable = await GET(
      new Request(`${ORIGIN}/api/previews/backdrop?scene=%7B&width=10&height=10`, {
        headers: { authorization: `Bearer ${token}` },
      }),
    );
    expect(unreadable.status).toBe(422);
  });
});
