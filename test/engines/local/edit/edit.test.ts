import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";

import { imageEditRequest } from "@/lib/scene/image-edit";
import type { Config } from "@/lib/server/config";

import { bombPng } from "../../../images/files";
import { testConfig } from "../../../support/config";
import { BUSY_BACKGROUNDS, busyPhoto } from "../../../support/photos/busy-photos";
import { productPhotoSet } from "../../../support/photos/product-photos";
import { renderPhoto, type RenderedPhoto } from "../../../support/photos/render-photo";
import {
  BOX_PHOTO,
  boxOnWhiteJpeg,
  boxWhere,
  edit,
  editedImage,
  editError,
  held,
  pixelAt,
  quadrantsPng,
  redBoxPng,
} from "./harness";

let config: Config;
let storagesEnv = "";
const inputs = { photo: "", cutout: "", quadrants: "", productPhoto: "" };
let product: RenderedPhoto;

const { box } = BOX_PHOTO;
const opaque = (p: { a: number }) => p.a >= 128;
const near = (value: number, expected: number, tolerance = 2) =>
  expect(Math.abs(value - expected), `${value} vs ${expected}`).toBeLessThanOrEqual(tolerance);

beforeAll(async () => {
  const storages = path.join(process.env.DATA_DIR ?? "/tmp", "edit-storages");
  fs.mkdirSync(path.join(storages, "out"), { recursive: true });
  storagesEnv = `out=${path.join(storages, "out")}`;
  config = testConfig({ STORAGES: storagesEnv });
  inputs.photo = await held(config, await boxOnWhiteJpeg(), "jpg");
  inputs.cutout = await held(config, await redBoxPng());
  inputs.quadrants = await held(config, await quadrantsPng());
  const set = productPhotoSet();
  const index = set.findIndex((spec) => spec.jpeg !== undefined);
  product = await renderPhoto(set[index]!, index + 1);
  inputs.productPhoto = await held(config, product.bytes, product.spec.jpeg ? "jpg" : "png");
}, 60_000);

describe("image edit on the local engine: background", () => {
  it("removes a plain background onto white by default, in the input's own format", async () => {
    const out = await editedImage(config, {
      input: inputs.photo,
      operations: { background: { remove: true } },
    });
    expect(out.metadata.format).toBe("jpeg");
    expect(out.result.outputs[0]?.info).toMatchObject({
      format: "JPEG",
      mime: "image/jpeg",
      width: 400,
      height: 300,
    });
    const corner = pixelAt(out.rgba, out.width, 5, 5);
    expect(Math.min(corner.r, corner.g, corner.b)).toBeGreaterThan(245);
    const centre = pixelAt(out.rgba, out.width, 200, 150);
    expect(centre.b).toBeGreaterThan(centre.r + 20);
  });

  it("puts the product on the colour asked for, and only the background takes it", async () => {
    const out = await editedImage(config, {
      input: inputs.photo,
      operations: { background: { remove: true, color: "#ff0000" } },
    });
    expect(pixelAt(out.rgba, out.width, 5, 5)).toMatchObject({ r: expect.any(Number) });
    const corner = pixelAt(out.rgba, out.width, 5, 5);
    expect(corner.r).toBeGreaterThan(240);
    expect(corner.g).toBeLessThan(15);
    const red = boxWhere(out.rgba, out.width, out.height, (p) => !(p.r > 200 && p.g < 60 && p.b < 60));
    expect(red).toBeDefined();
    near(red!.x, box.x);
    near(red!.y, box.y);
    near(red!.width, box.width);
    near(red!.height, box.height);
  });

  it("makes the background transparent in a PNG, the product's outline where it was", async () => {
    const out = await editedImage(config, {
      input: inputs.photo,
      operations: { background: { remove: true, color: "transparent" } },
    });
    expect(out.metadata.format).toBe("png");
    expect(out.metadata.hasAlpha).toBe(true);
    expect(pixelAt(out.rgba, out.width, 5, 5).a).toBe(0);
    expect(pixelAt(out.rgba, out.width, 200, 150).a).toBe(255);
    const object = boxWhere(out.rgba, out.width, out.height, opaque)!;
    near(object.x, box.x);
    near(object.y, box.y);
    near(object.width, box.width);
    near(object.height, box.height);
  });

  it("cuts a rendered product photo out close to its true mask", async () => {
    const out = await editedImage(config, {
      input: inputs.productPhoto,
      operations: { background: { remove: { category: "products" }, color: "transparent" } },
    });
    expect(out.width).toBe(product.width);
    let both = 0;
    let either = 0;
    for (let i = 0; i < product.alpha.length; i++) {
      const truth = product.alpha[i]! >= 128;
      const cut = out.rgba[i * 4 + 3]! >= 128;
      if (truth && cut) both++;
      if (truth || cut) either++;
    }
    expect(both / either).toBeGreaterThan(0.95);
  });

  it("clips to the object with clipping: true", async () => {
    const out = await editedImage(config, {
      input: inputs.photo,
      operations: { background: { remove: { clipping: true }, color: "transparent" } },
    });
    near(out.width, box.width);
    near(out.height, box.height);
    expect(pixelAt(out.rgba, out.width, Math.floor(out.width / 2), Math.floor(out.height / 2)).a).toBe(255);
  });

  it("fills an image's transparency with a colour, without removing anything", async () => {
    const out = await editedImage(config, {
      input: inputs.cutout,
      operations: { background: { color: "#00ff00" } },
      output: { format: "png" },
    });
    expect(pixelAt(out.rgba, out.width, 5, 5)).toEqual({ r: 0, g: 255, b: 0, a: 255 });
    expect(pixelAt(out.rgba, out.width, 200, 150)).toEqual({ r: 255, g: 0, b: 0, a: 255 });
  });

  it("keeps an image's own transparency when nothing asks otherwise", async () => {
    const out = await editedImage(config, {
      input: inputs.cutout,
      operations: { resizing: { width: 200, fit: "bounds" } },
    });
    expect(out.metadata.format).toBe("png");
    expect(pixelAt(out.rgba, out.width, 2, 2).a).toBe(0);
  });

  it("refuses a busy background in plain words and points at Claid", async () => {
    const busy = await held(config, await busyPhoto(Object.keys(BUSY_BACKGROUNDS)[0]!), "jpg");
    const error = await editError(config, { input: busy, operations: { background: { remove: true } } });
    expect(error.status).toBe(422);
    expect(error.code).toBe("background_not_removable");
    expect(error.message).toMatch(/background/i);
    expect(error.message).toMatch(/Claid/);
    expect(error.details).toMatchObject({
      reason: "busy",
      alternative_engine: "claid",
      fields: { "operations.background.remove": [expect.any(String)] },
    });
  });

  it("says when there is no product to cut out", async () => {
    const plain = await held(
      config,
      await sharp({ create: { width: 320, height: 240, channels: 3, background: "#f2f2f2" } })
        .jpeg()
        .toBuffer(),
      "jpg",
    );
    const error = await editError(config, { input: plain, operations: { background: { remove: true } } });
    expect(error.code).toBe("background_not_removable");
    expect(error.details).toMatchObject({ reason: "empty" });
  });
});

describe("image edit on the local engine: padding", () => {
  it('keeps the input\'s size and squeezes the picture inside the padding ("5% 25%")', async () => {
    const out = await editedImage(config, {
      input: inputs.quadrants,
      operations: { padding: "5% 25%" },
    });
    expect([out.width, out.height]).toEqual([400, 300]);
    // Inside 15 px top and bottom, 100 px left and right: 200 × 270, the picture fitted as 200 × 150.
    const picture = boxWhere(out.rgba, out.width, out.height, (p) => !(p.r > 250 && p.g > 250 && p.b > 250));
    expect(picture).toEqual({ x: 100, y: 75, width: 200, height: 150 });
  });

  it("counts the padding from the object's edges with clipping", async () => {
    const out = await editedImage(config, {
      input: inputs.photo,
      operations: { background: { remove: { clipping: true }, color: "transparent" }, padding: "10%" },
    });
    expect([out.width, out.height]).toEqual([400, 300]);
    // 320 × 240 inside; the 200 × 100 object fitted as 320 × 160, centred.
    const object = boxWhere(out.rgba, out.width, out.height, opaque)!;
    near(object.x, 40, 3);
    near(object.width, 320, 4);
    near(object.y, 70, 3);
    near(object.height, 160, 4);
  });

  it('takes pixels and four sides ("0px 100px 0px 0px")', async () => {
    const out = await editedImage(config, {
      input: inputs.quadrants,
      operations: { padding: "0px 100px 0px 0px" },
    });
    const picture = boxWhere(out.rgba, out.width, out.height, (p) => !(p.r > 250 && p.g > 250 && p.b > 250));
    // 300 × 300 left for a 400 × 300 picture: 300 × 225, at the left, centred vertically.
    expect(picture).toEqual({ x: 0, y: 37, width: 300, height: 225 });
  });

  it("fills padding with the background colour asked for", async () => {
    const out = await editedImage(config, {
      input: inputs.quadrants,
      operations: { padding: "20px", background: { color: "#000000" } },
    });
    expect(pixelAt(out.rgba, out.width, 3, 3)).toEqual({ r: 0, g: 0, b: 0, a: 255 });
  });

  it("refuses pixel padding over half of a side, and percentages over half in the schema", async () => {
    const error = await editError(config, { input: inputs.quadrants, operations: { padding: "10px 250px" } });
    expect(error.code).toBe("padding_too_large");
    expect(error.details).toMatchObject({
      fields: { "operations.padding": [expect.stringMatching(/half/)] },
    });
    const parsed = imageEditRequest.safeParse({ input: inputs.quadrants, operations: { padding: "60%" } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["operations", "padding"]);
    expect(parsed.error?.issues[0]?.message).toMatch(/half/);
  });
});

describe("image edit on the local engine: resizing", () => {
  const sizeOf = async (resizing: Record<string, unknown>) => {
    const out = await editedImage(config, { input: inputs.quadrants, operations: { resizing } });
    return [out.width, out.height];
  };

  it("crops by default: one side given keeps the other, both give exactly that size", async () => {
    expect(await sizeOf({ width: 200 })).toEqual([200, 300]);
    expect(await sizeOf({ width: 100, height: 100 })).toEqual([100, 100]);
    expect(await sizeOf({ width: 200, height: "auto" })).toEqual([200, 150]);
  });

  it("fits inside with bounds, covers with cover, and pads to size with canvas", async () => {
    expect(await sizeOf({ width: 100, height: 100, fit: "bounds" })).toEqual([100, 75]);
    expect(await sizeOf({ width: 100, height: 100, fit: "cover" })).toEqual([133, 100]);
    expect(await sizeOf({ width: 100, height: 100, fit: "canvas" })).toEqual([100, 100]);
    expect(await sizeOf({ width: "50%", fit: "bounds" })).toEqual([200, 150]);
    expect(await sizeOf({ height: 600, fit: "bounds" })).toEqual([800, 600]);
  });

  it("cuts the centre out with crop and letterboxes with canvas", async () => {
    const cropped = await editedImage(config, {
      input: inputs.quadrants,
      operations: { resizing: { width: 100, height: 100 } },
    });
    // Cover at 133 × 100, then the middle 100 × 100: all four quadrants meet in the centre.
    expect(pixelAt(cropped.rgba, 100, 10, 10)).toMatchObject({ r: 255, g: 0, b: 0 });
    expect(pixelAt(cropped.rgba, 100, 90, 90)).toMatchObject({ r: 255, g: 255, b: 0 });
    const boxed = await editedImage(config, {
      input: inputs.quadrants,
      operations: { resizing: { width: 100, height: 100, fit: "canvas" }, background: { color: "#000000" } },
    });
    expect(pixelAt(boxed.rgba, 100, 50, 5)).toMatchObject({ r: 0, g: 0, b: 0 });
    expect(pixelAt(boxed.rgba, 100, 10, 30)).toMatchObject({ r: 255, g: 0, b: 0 });
  });

  it("refuses a result larger than the pixel limit", async () => {
    const small = testConfig({ STORAGES: storagesEnv, MAX_IMAGE_PIXELS: "2000000" });
    try {
      const error = await editError(small, {
        input: inputs.quadrants,
        operations: { resizing: { width: 4000, height: 4000 } },
      });
      expect(error.status).toBe(422);
      expect(error.details).toMatchObject({
        fields: { "operations.resizing": [expect.stringMatching(/megapixels/)] },
      });
    } finally {
      config = testConfig({ STORAGES: storagesEnv });
    }
  });
});

describe("image edit on the local engine: output", () => {
  it.each([
    ["png", { format: "png" }, "png"],
    ["jpeg with quality", { format: { type: "jpeg", quality: 70, progressive: false } }, "jpeg"],
    ["webp lossless", { format: { type: "webp", compression: "lossless" } }, "webp"],
    ["webp lossy", { format: "webp" }, "webp"],
    ["avif", { format: { type: "avif", compression: { type: "lossy", quality: 40 } } }, "heif"],
    ["tiff", { format: "tiff" }, "tiff"],
  ])("encodes %s", async (_name, output, sharpFormat) => {
    const out = await editedImage(config, {
      input: inputs.quadrants,
      operations: { padding: "10%" },
      output,
    });
    expect(out.metadata.format).toBe(sharpFormat);
    expect([out.width, out.height]).toEqual([400, 300]);
  });

  it("refuses a transparent background with a format that has no alpha", async () => {
    for (const format of ["jpeg", "tiff"]) {
      const error = await editError(config, {
        input: inputs.photo,
        operations: { background: { remove: true, color: "transparent" } },
        output: { format },
      });
      expect(error.code).toBe("transparent_needs_alpha_format");
      expect(error.details).toMatchObject({
        fields: { "operations.background.color": [expect.any(String)] },
      });
    }
  });

  it("writes to a storage:// destination instead of our storage", async () => {
    const result = await edit(config, {
      input: inputs.quadrants,
      operations: { padding: "10%" },
      output: { destination: "storage://out/edits/", format: "png" },
    });
    const [output] = result.outputs;
    expect(output?.key).toBeUndefined();
    expect(output?.destination).toMatch(/^storage:\/\/out\/edits\/[0-9a-f]{16}\.png$/);
    const file = path.join(config.STORAGES.out!, "edits", path.basename(output!.destination!));
    expect((await sharp(fs.readFileSync(file)).metadata()).width).toBe(400);
  });

  it("is deterministic: the same edit gives the same bytes", async () => {
    const body = {
      input: inputs.photo,
      operations: { background: { remove: true, color: "transparent" }, padding: "8%" },
    };
    const a = await edit(config, body);
    const b = await edit(config, body);
    expect(a.outputs[0]?.key).toBe(b.outputs[0]?.key);
  });

  it("reads an input from one of our own file links, as a tmp_url hands them out", async () => {
    const key = inputs.quadrants.slice("backdrop://files/".length);
    const out = await editedImage(config, {
      input: `http://127.0.0.1:${config.PORT}/api/files/${key}`,
      operations: { resizing: { width: 40, fit: "bounds" } },
    });
    expect([out.width, out.height]).toEqual([40, 30]);
  });

  it("describes its input as Claid does", async () => {
    const result = await edit(config, { input: inputs.photo, operations: { padding: "10%" } });
    expect(result.input).toEqual({
      ext: "jpg",
      mime: "image/jpeg",
      format: "JPEG",
      width: 400,
      height: 300,
      mps: 0.12,
    });
  });
});

describe("image edit on the local engine: what it refuses", () => {
  it("names every operation it does not do, all at once, before any work", async () => {
    const error = await editError(config, {
      input: "backdrop://files/0000000000000000000000000000000000000000000000000000000000000000.png",
      operations: {
        restorations: { upscale: "smart_enhance" },
        adjustments: { hdr: 50 },
        background: { remove: { selective: { object_to_keep: "the shoe" } }, blur: true },
        resizing: { width: 100, fit: "outpaint" },
      },
      output: { format: "png", metadata: { dpi: 300 } },
    });
    expect(error.status).toBe(422);
    expect(error.code).toBe("unsupported_operation");
    expect(Object.keys(error.details.fields as object).sort()).toEqual([
      "operations.adjustments",
      "operations.background.blur",
      "operations.background.remove.selective",
      "operations.resizing.fit",
      "operations.restorations",
      "output.metadata",
    ]);
    expect(error.message).toMatch(/Claid/);
  });

  it("refuses decompression bombs from their header", async () => {
    const bomb = await held(config, bombPng(20_000));
    const error = await editError(config, { input: bomb, operations: { padding: "10%" } });
    expect(error.status).toBe(413);
    expect(error.code).toBe("image_too_many_pixels");
    const removal = await editError(config, { input: bomb, operations: { background: { remove: true } } });
    expect(removal.status).toBe(413);
  });

  it("says which field names an image that is not there or not an image", async () => {
    const missing = await editError(config, {
      input: "backdrop://files/1111111111111111111111111111111111111111111111111111111111111111.png",
      operations: { padding: "10%" },
    });
    expect(missing.code).toBe("image_not_found");
    expect(missing.details).toMatchObject({ fields: { input: [expect.any(String)] } });
    const text = await held(config, Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"), "svg");
    const notImage = await editError(config, { input: text, operations: { padding: "10%" } });
    expect(notImage.status).toBe(422);
    expect(notImage.details).toMatchObject({ fields: { input: [expect.any(String)] } });
  });
});
