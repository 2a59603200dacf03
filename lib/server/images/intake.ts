import "server-only";

import { storedImageUrl } from "@/lib/scene/image-ref";
import type { Box } from "@/lib/scene/placement";

import { getConfig } from "../config";
import type { ObjectStore } from "../storage";
import { storeFor } from "../storage";
import type { ImageLimits } from "./decode";
import { checkUntrustedImage, decodeOr422, decoderFor } from "./decode";
import { rememberDescription } from "./describe";
import { objectBoxOfImage } from "./object-box";
import { imageWorkQueue } from "./work-queue";

/** What intake hands back, and what a record of the upload keeps. */
export type StoredImage = {
  key: string;
  url: string;
  width: number;
  height: number;
  /** The stored (re-encoded) format. */
  format: "png" | "jpeg";
  mime: string;
  size: number;
  sha256: string;
  hasAlpha: boolean;
  objectBox: Box;
  /** What the bytes were before re-encoding. */
  original: { format: string; mime: string; size: number; width: number; height: number };
};

export function imageLimitsFrom(config = getConfig()): ImageLimits {
  return { maxBytes: config.MAX_UPLOAD_BYTES, maxPixels: config.MAX_IMAGE_PIXELS };
}

/**
 * Untrusted bytes → a stored image: real type by magic bytes, byte and pixel limits before decoding,
 * auto-oriented, metadata stripped (nothing but pixels is copied over), re-encoded (PNG when there is an
 * alpha channel or the source was lossless, JPEG at high quality for JPEG sources), stored under its
 * content hash, with its object box measured.
 */
export async function intakeImage(
  bytes: Uint8Array,
  options: { store?: ObjectStore; limits?: ImageLimits } = {},
): Promise<StoredImage> {
  const config = getConfig();
  const limits = options.limits ?? imageLimitsFrom(config);
  const store = options.store ?? storeFor(config);
  const checked = await checkUntrustedImage(bytes, limits);
  const asJpeg = checked.format === "jpeg" && !checked.hasAlpha;

  // Decoded straight into the encoder (libvips streams it in strips), and the object box measured on
  // the alpha channel alone: no full copy of the decoded pixels is ever held.
  const { encoded, info, objectBox } = await imageWorkQueue(config).decodeSlot(async () => {
    // 8-bit sRGB, as every stored image is (a 16-bit or greyscale source included).
    const decoder = decoderFor(bytes, limits).toColourspace("srgb");
    const { data, info } = await decodeOr422(() =>
      (asJpeg
        ? decoder.jpeg({ quality: 95, chromaSubsampling: "4:4:4" })
        : decoder.png({ compressionLevel: 6 })
      ).toBuffer({ resolveWithObject: true }),
    );
    const objectBox =
      info.channels === 2 || info.channels === 4
        ? await decodeOr422(() => objectBoxOfImage(bytes, limits.maxPixels))
        : { x: 0, y: 0, width: info.width, height: info.height };
    return { encoded: data, info, objectBox };
  });
  const hasAlpha = info.channels === 2 || info.channels === 4;

  const ext = asJpeg ? "jpg" : "png";
  const stored = await store.put(encoded, ext);
  const image: StoredImage = {
    key: stored.key,
    url: storedImageUrl(stored.key),
    width: info.width,
    height: info.height,
    format: asJpeg ? "jpeg" : "png",
    mime: asJpeg ? "image/jpeg" : "image/png",
    size: stored.size,
    sha256: stored.sha256,
    hasAlpha,
    objectBox,
    original: {
      format: checked.format,
      mime: checked.mime,
      size: bytes.byteLength,
      width: checked.width,
      height: checked.height,
    },
  };
  rememberDescription(store, image);
  return image;
}
