"use client";

import { useEffect, useState } from "react";

/**
 * Drawing a 4096² image on every frame of a drag costs more than a frame's budget on a CPU canvas, so
 * the canvas draws a proxy no larger than `maxSide`; the node keeps the image's own pixel size, so the
 * geometry (anchor, object box, scale) is in the image's pixels either way.
 */
export function useCanvasImage(src: string | undefined, maxSide = 1600): CanvasImageSource | undefined {
  const [loaded, setLoaded] = useState<{ src: string; image: CanvasImageSource } | undefined>(undefined);
  useEffect(() => {
    if (!src) return;
    let cancelled = false;
    const img = new window.Image();
    if (!src.startsWith("/")) img.crossOrigin = "anonymous";
    img.onload = async () => {
      const longest = Math.max(img.naturalWidth, img.naturalHeight);
      let drawn: CanvasImageSource = img;
      if (longest > maxSide && "createImageBitmap" in window) {
        const k = maxSide / longest;
        drawn = await createImageBitmap(img, {
          resizeWidth: Math.max(1, Math.round(img.naturalWidth * k)),
          resizeHeight: Math.max(1, Math.round(img.naturalHeight * k)),
          resizeQuality: "high",
        }).catch(() => img);
      }
      if (!cancelled) setLoaded({ src, image: drawn });
    };
    img.src = src;
    return () => {
      cancelled = true;
    };
  }, [src, maxSide]);
  return loaded && loaded.src === src ? loaded.image : undefined;
}

let checker: HTMLCanvasElement | undefined;

/** The usual transparency checkerboard, as a pattern tile. */
export function checkerTile(): HTMLCanvasElement {
  if (checker) return checker;
  const c = document.createElement("canvas");
  c.width = 16;
  c.height = 16;
  const ctx = c.getContext("2d");
  if (ctx) {
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, 16, 16);
    ctx.fillStyle = "#e5e7eb";
    ctx.fillRect(0, 0, 8, 8);
    ctx.fillRect(8, 8, 8, 8);
  }
  checker = c;
  return c;
}
