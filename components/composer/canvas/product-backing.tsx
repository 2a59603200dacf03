"use client";

import type Konva from "konva";
import { useEffect, useRef } from "react";
import { Rect } from "react-konva";

import { lacksTransparency, type ImageMeta } from "@/lib/composer/images";

import { checkerTile } from "./use-canvas-image";

const EVENTS = ["dragmove", "transform", "dragend", "transformend"];

/**
 * What is drawn under the product so its edges can be judged on any frame: a checkerboard where a
 * product with transparency is see-through, and the outline of a product without it (the whole
 * rectangle a draft would paste, which is invisible as white on a white frame). It follows the
 * product node through drags and transforms, so it never lags behind.
 */
export function ProductBacking({
  productRef,
  product,
  zoom,
  place,
}: {
  productRef: React.RefObject<Konva.Image | null>;
  product: ImageMeta;
  zoom: number;
  /** The checkerboard goes under the product, the outline over it; each is drawn in its place only. */
  place: "under" | "over";
}) {
  const backingRef = useRef<Konva.Rect>(null);
  const opaque = lacksTransparency(product);
  const drawn = opaque ? place === "over" : place === "under";

  useEffect(() => {
    const node = productRef.current;
    const backing = backingRef.current;
    if (!drawn || !node || !backing) return;
    const sync = () => {
      const scale = Math.abs(node.scaleX()) * zoom || 1;
      backing.setAttrs({
        x: node.x(),
        y: node.y(),
        width: node.width(),
        height: node.height(),
        offsetX: node.offsetX(),
        offsetY: node.offsetY(),
        scaleX: node.scaleX(),
        scaleY: node.scaleY(),
        rotation: node.rotation(),
        ...(opaque ? { dash: [6 / scale, 4 / scale] } : { fillPatternScale: { x: 1 / scale, y: 1 / scale } }),
      });
      backing.getLayer()?.batchDraw();
    };
    sync();
    // A namespace of its own per place, so the two backings never take each other's listeners off.
    const events = EVENTS.map((name) => `${name}.backing-${place}`).join(" ");
    node.on(events, sync);
    return () => {
      node.off(events);
    };
  });

  if (!drawn) return null;
  return opaque ? (
    <Rect
      ref={backingRef}
      name="product-outline"
      listening={false}
      stroke="#3654ff"
      strokeWidth={1}
      strokeScaleEnabled={false}
      opacity={0.9}
    />
  ) : (
    <Rect
      ref={backingRef}
      name="product-checker"
      listening={false}
      fillPatternImage={checkerTile() as unknown as HTMLImageElement}
      fillPatternRepeat="repeat"
    />
  );
}
