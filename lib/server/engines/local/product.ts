import "server-only";

import sharp from "sharp";

import type { Box, Size } from "@/lib/scene/placement";

import type { ImageLimits } from "../../images/decode";
import { checkUntrustedImage, decodeOr422, decodeUntrustedImage } from "../../images/decode";
import { describeStoredImage } from "../../images/describe";
import { objectBoxOfRaw } from "../../images/object-box";
import type { ObjectStore } from "../../storage";
import type { TemplateFrame } from "./backdrop";
import type { InputBytes } from "./inputs";

export type Product = {
  sha256: string;
  pixels: Buffer;
  width: number;
  height: number;
  objectBox: Box;
  format: string;
  mime: string;
};

/**
 * Decoded products by content hash. Designers re-render the same product many times while settling a
 * composition; decoding it once saves most of a draft's time. Bounded by bytes.
 */
const CACHE_BYTES = 256 * 1024 * 1024;
const cache = new Map<string, Promise<Product>>();
let cachedBytes = 0;
const sizes = new Map<string, number>();

function remember(sha: string, product: Promise<Product>) {
  cache.set(sha, product);
  product.then(
    (p) => {
      sizes.set(sha, p.pixels.byteLength);
      cachedBytes += p.pixels.byteLength;
      for (const oldest of cache.keys()) {
        if (cachedBytes <= CACHE_BYTES || oldest === sha) break;
        cachedBytes -= sizes.get(oldest) ?? 0;
        sizes.delete(oldest);
        cache.delete(oldest);
      }
    },
    () => cache.delete(sha),
  );
}

/**
 * The pixels in memory every thread of the process can read: drafts render on their own threads
 * (`render-off-thread.ts`), and a product handed to one is then shared with it, not copied each time.
 */
function sharedCopy(pixels: Buffer): Buffer {
  const shared = Buffer.from(new SharedArrayBuffer(pixels.byteLength));
  pixels.copy(shared);
  return shared;
}

async function decodeProduct(input: InputBytes, limits: ImageLimits, store: ObjectStore): Promise<Product> {
  const decoded = await decodeUntrustedImage(input.bytes, limits);
  const size = { width: decoded.orientedWidth, height: decoded.orientedHeight };
  const described = input.storedKey ? await describeStoredImage(input.storedKey, store) : undefined;
  const objectBox =
    described && described.width === size.width && described.height === size.height
      ? described.objectBox
      : await objectBoxOfRaw(decoded.pixels, { ...size, channels: 4 });
  return {
    sha256: input.sha256,
    pixels: sharedCopy(decoded.pixels),
    ...size,
    objectBox,
    format: decoded.format,
    mime: decoded.mime,
  };
}

export function loadProduct(input: InputBytes, limits: ImageLimits, store: ObjectStore): Promise<Product> {
  const known = cache.get(input.sha256);
  if (known) return known;
  const product = decodeProduct(input, limits, store);
  remember(input.sha256, product);
  return product;
}

export type Template = { size: Size; format: string; mime: string; bytes: Buffer; limits: ImageLimits };

export async function checkTemplate(input: InputBytes, limits: ImageLimits): Promise<Template> {
  const checked = await checkUntrustedImage(input.bytes, limits);
  return {
    size: { width: checked.orientedWidth, height: checked.orientedHeight },
    format: checked.format,
    mime: checked.mime,
    bytes: input.bytes,
    limits,
  };
}

/** The template scaled and cropped to the frame, flattened on white (a backdrop has no holes). */
export async function templateFrame(template: Template, frame: Size): Promise<TemplateFrame> {
  const pixels = await decodeOr422(() =>
    sharp(template.bytes, { limitInputPixels: template.limits.maxPixels, failOn: "error", pages: 1 })
      .autoOrient()
      .flatten({ background: "#ffffff" })
      .resize(frame.width, frame.height, { fit: "cover", kernel: "lanczos3" })
      .removeAlpha()
      .raw()
      .toBuffer(),
  );
  return { pixels, width: frame.width, height: frame.height, channels: 3 };
}
