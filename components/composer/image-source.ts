import type { ImageMeta } from "@/lib/composer/images";
import { measureObjectBox } from "@/lib/composer/object-box";
import type { UploadedImage } from "@/lib/scene/generation";
import { fileHref, storedImageKey } from "@/lib/scene/image-ref";

/** Where the browser loads an image the request refers to. */
export function browserSrc(url: string): string {
  const key = storedImageKey(url);
  return key ? fileHref(key) : url;
}

export function metaFromUpload(image: UploadedImage): ImageMeta {
  return {
    width: image.width,
    height: image.height,
    objectBox: image.objectBox,
    hasAlpha: image.hasAlpha,
    format: image.format,
    size: image.size,
    src: browserSrc(image.url),
  };
}

/**
 * Measures an image the server has not described to us (a request loaded from JSON or a result): its
 * size, and its object box when its pixels can be read (same origin, or CORS allowed).
 */
export function measureImage(url: string): Promise<ImageMeta> {
  const src = browserSrc(url);
  return new Promise((resolve, reject) => {
    const img = new window.Image();
    if (!src.startsWith("/")) img.crossOrigin = "anonymous";
    img.onload = () => {
      const width = img.naturalWidth;
      const height = img.naturalHeight;
      const whole = { x: 0, y: 0, width, height };
      try {
        const canvas = document.createElement("canvas");
        canvas.width = width;
        canvas.height = height;
        const ctx = canvas.getContext("2d", { willReadFrequently: true });
        if (!ctx) throw new Error("no 2d context");
        ctx.drawImage(img, 0, 0);
        const pixels = ctx.getImageData(0, 0, width, height).data;
        const objectBox = measureObjectBox(pixels, width, height);
        let hasAlpha = false;
        for (let i = 3; i < pixels.length && !hasAlpha; i += 4) hasAlpha = (pixels[i] ?? 255) < 255;
        resolve({ width, height, objectBox, hasAlpha, src });
      } catch {
        // Cross-origin pixels cannot be read: the whole image stands in for its object box.
        resolve({ width, height, objectBox: whole, hasAlpha: false, src });
      }
    };
    img.onerror = () => reject(new Error(`Could not load ${url}`));
    img.src = src;
  });
}
