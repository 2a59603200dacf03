"use client";

import type Konva from "konva";
import { useCallback, useLayoutEffect, useRef } from "react";

import { dragTo, resizeAllowed, type GuideLine } from "@/lib/composer/gestures";
import type { ImageMeta } from "@/lib/composer/images";
import type { ComposerAction } from "@/lib/composer/reducer";
import type { View } from "@/lib/composer/view";
import type { ImagePlacement, Size } from "@/lib/scene/placement";
import { absoluteValuesFromCanvas } from "@/lib/scene/placement";

import type { LivePlacement } from "../live-placement";

/**
 * The node shows only `crop` (image pixels) of the image: the object box, so the transformer hugs the
 * product rather than its transparent margins. Node-local point q is image point crop.origin + q.
 */
export type Crop = { x: number; y: number; width: number; height: number };

export function applyPlacement(node: Konva.Image, placement: ImagePlacement, crop: Crop) {
  node.position(placement.center);
  node.offset({ x: placement.anchor.x - crop.x, y: placement.anchor.y - crop.y });
  node.scale({ x: placement.scaleX, y: placement.scaleY });
  node.rotation(placement.rotation);
}

export type Guides = { show: (lines: GuideLine[]) => void; hide: () => void };

/** The faint copy of the product drawn outside the frame: it follows the node through a gesture. */
export type Ghost = { follow: () => void };

type GestureInput = {
  productRef: React.RefObject<Konva.Image | null>;
  ghost: Ghost;
  product: ImageMeta | undefined;
  placement: ImagePlacement | undefined;
  crop: Crop | undefined;
  frame: Size;
  view: View;
  dispatch: (action: ComposerAction) => void;
  live: LivePlacement | undefined;
  guides: Guides;
};

/**
 * Konva's drag and transform events, turned into the composer's: the rules come from
 * `lib/composer/gestures`; while a gesture runs only the node (and the inspector, through `live`)
 * changes, and its end is one action, so one undo step.
 */
export function useProductGestures(input: GestureInput) {
  const { productRef, ghost, product, frame, dispatch, live, guides } = input;
  // Event handlers read the latest values through refs; they are updated after each render.
  const latest = useRef(input);
  useLayoutEffect(() => {
    latest.current = input;
  });

  // React only writes props that changed; a gesture that ends where the data already was must still
  // put the node back where the data says.
  const resync = useCallback(() => {
    requestAnimationFrame(() => {
      const node = productRef.current;
      const { placement, crop } = latest.current;
      if (node && placement && crop) {
        applyPlacement(node, placement, crop);
        ghost.follow();
        node.getLayer()?.batchDraw();
      }
    });
  }, [productRef, ghost]);

  // At most one inspector update per frame, with the same rounding the request will get.
  const livePending = useRef(false);
  const publishLive = () => {
    if (!live || livePending.current) return;
    livePending.current = true;
    requestAnimationFrame(() => {
      livePending.current = false;
      const node = productRef.current;
      if (!node || !product) return;
      live.set(
        absoluteValuesFromCanvas(frame, product.objectBox, {
          center: { x: node.x(), y: node.y() },
          imageScale: node.scaleX(),
          rotation: node.rotation(),
        }),
      );
    });
  };
  // After any pending frame's update, so the gesture's end always clears it.
  const endLive = () => requestAnimationFrame(() => live?.set(null));

  const onDragMove = (event: Konva.KonvaEventObject<DragEvent>) => {
    const node = productRef.current;
    const { placement, view } = latest.current;
    if (!node || !placement || !product) return;
    const moved = dragTo(
      { x: node.x(), y: node.y() },
      { frame, placement, objectBox: product.objectBox, zoom: view.zoom, free: event.evt.altKey },
    );
    guides.hide();
    guides.show(moved.guides);
    node.position(moved.center);
    ghost.follow();
    publishLive();
  };

  const onDragEnd = () => {
    const node = productRef.current;
    guides.hide();
    endLive();
    if (!node) return;
    dispatch({ type: "dragEnd", center: { x: node.x(), y: node.y() } });
    resync();
  };

  const onTransform = () => {
    ghost.follow();
    publishLive();
  };

  const onTransformEnd = () => {
    const node = productRef.current;
    endLive();
    if (!node) return;
    dispatch({
      type: "transformEnd",
      center: { x: node.x(), y: node.y() },
      imageScale: node.scaleX(),
      rotation: node.rotation(),
    });
    resync();
  };

  const boundBox = useCallback(
    <B extends { width: number }>(oldBox: B, newBox: B): B => {
      const { crop, view } = latest.current;
      if (!product || !crop) return oldBox;
      const allowed = resizeAllowed(newBox.width, {
        frame,
        objectBox: product.objectBox,
        shownWidth: crop.width,
        zoom: view.zoom,
      });
      return allowed ? newBox : oldBox;
    },
    [product, frame],
  );

  return { onDragMove, onDragEnd, onTransform, onTransformEnd, boundBox };
}
