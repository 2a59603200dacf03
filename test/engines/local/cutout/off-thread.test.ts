import { threadId } from "node:worker_threads";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";

import { removeBackground } from "@/lib/server/engines/local/cutout";
import { removeBackgroundOffThread } from "@/lib/server/engines/local/cutout/off-thread";
import { ApiError } from "@/lib/server/errors";

import { productPhotoSet } from "../../../support/photos/product-photos";
import { renderPhoto, type RenderedPhoto } from "../../../support/photos/render-photo";

const MAX_PIXELS = 50_000_000;
let photos: RenderedPhoto[];

beforeAll(async () => {
  const set = productPhotoSet();
  photos = await Promise.all([0, 1, 2].map((i) => renderPhoto(set[i]!, i + 1)));
}, 60_000);

describe("cutouts off the request's thread", () => {
  it("runs on another thread and answers exactly what the cutout answers in this one", async () => {
    const photo = photos[0]!;
    const [here, there] = await Promise.all([
      removeBackground(photo.bytes, { maxPixels: MAX_PIXELS }),
      removeBackgroundOffThread(photo.bytes, { maxPixels: MAX_PIXELS, threads: 1 }),
    ]);
    expect(there.threadId).not.toBe(threadId);
    expect(there.kind).toBe("cutout");
    if (here.kind !== "cutout" || there.kind !== "cutout") return;
    expect(there.image.width).toBe(here.image.width);
    expect(Buffer.compare(there.image.data, here.image.data)).toBe(0);
    expect(there.background).toEqual(here.background);
    expect(there.confidence).toBe(here.confidence);
  });

  it("takes jobs one after another on one thread, each answered in full", async () => {
    const runs = await Promise.all(
      photos.map((photo) => removeBackgroundOffThread(photo.bytes, { maxPixels: MAX_PIXELS, threads: 1 })),
    );
    expect(new Set(runs.map((r) => r.threadId)).size).toBe(1);
    runs.forEach((run, i) => {
      expect(run.kind).toBe("cutout");
      if (run.kind === "cutout")
        expect(run.image.data.byteLength).toBe(photos[i]!.width * photos[i]!.height * 4);
    });
  });

  it("brings the cutout's own errors back as the same ApiErrors", async () => {
    const svg = removeBackgroundOffThread(Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"), {
      maxPixels: MAX_PIXELS,
      threads: 1,
    });
    await expect(svg).rejects.toBeInstanceOf(ApiError);
    await expect(svg).rejects.toMatchObject({ status: 415, code: "unsupported_image_type" });
    const big = await sharp({ create: { width: 2000, height: 2000, channels: 3, background: "#fff" } })
      .png()
      .toBuffer();
    await expect(removeBackgroundOffThread(big, { maxPixels: 1_000_000, threads: 1 })).rejects.toMatchObject({
      status: 413,
      code: "image_too_many_pixels",
    });
  });

  it("runs in the calling thread when told to use none", async () => {
    const run = await removeBackgroundOffThread(photos[1]!.bytes, { maxPixels: MAX_PIXELS, threads: 0 });
    expect(run.threadId).toBe(threadId);
    expect(run.kind).toBe("cutout");
  });
});
