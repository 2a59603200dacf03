"use client";

import type Konva from "konva";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef } from "react";
import { Group, Image as KonvaImage, Layer, Line, Rect, Transformer } from "react-konva";

import type { ComposerDoc } from "@/lib/composer/doc";
import { ROTATION_SNAP_DEGREES, rotationSnaps, type GuideLine } from "@/lib/composer/gestures";
import type { ImageMeta } from "@/lib/composer/images";
import type { ComposerAction } from "@/lib/composer/reducer";
import { buildObject } from "@/lib/composer/request";
import type { View } from "@/lib/composer/view";
import { paddingInPixels, parsePadding } from "@/lib/scene/padding";
import { productPlacement } from "@/lib/scene/placement";
import type { Box, ImagePlacement, Size } from "@/lib/scene/placement";

import type { LivePlacement } from "../live-placement";
import { ProductBacking } from "./product-backing";
import { useCanvasImage } from "./use-canvas-image";
import { useProductGestures, type Crop, type Ghost, type Guides } from "./use-product-gestures";

/** How much of the product shows outside the frame, where the output will cut it. */
const GHOST_OPACITY = 0.3;
const GHOST_SIDE = 512;

/** Whether any of the node leaves the frame (its parent group is in frame pixels). */
function sticksOut(node: Konva.Node, frame: Size): boolean {
  const box = node.getClientRect({ relativeTo: node.getParent() ?? undefined, skipShadow: true });
  const slack = 0.5;
  return (
    box.x < -slack ||
    box.y < -slack ||
    box.x + box.width > frame.width + slack ||
    box.y + box.height > frame.height + slack
  );
}

function sourceWidth(image: CanvasImageSource): number {
  if (image instanceof HTMLImageElement) return image.naturalWidth;
  if (image instanceof ImageBitmap || image instanceof HTMLCanvasElement) return image.width;
  return 1;
}

/**
 * Where an image of the product is drawn: the `crop` box of the source (which may be a smaller proxy
 * of it, `sourceScale` of its pixels per product pixel) placed as the shared placement says.
 */
function drawnAt(placement: ImagePlacement, crop: Box, sourceScale: number) {
  return {
    crop: {
      x: crop.x * sourceScale,
      y: crop.y * sourceScale,
      width: crop.width * sourceScale,
      height: crop.height * sourceScale,
    },
    width: crop.width,
    height: crop.height,
    x: placement.center.x,
    y: placement.center.y,
    offsetX: placement.anchor.x - crop.x,
    offsetY: placement.anchor.y - crop.y,
    scaleX: placement.scaleX,
    scaleY: placement.scaleY,
    rotation: placement.rotation,
  };
}

/** The frame's interactive layer: the product (drag, scale, rotate), padding inset, border and guides. */
export function ProductLayer({
  doc,
  product,
  frame,
  view,
  dispatch,
  live,
  onCursor,
}: {
  doc: ComposerDoc;
  product: ImageMeta | undefined;
  frame: Size;
  view: View;
  dispatch: (action: ComposerAction) => void;
  live: LivePlacement | undefined;
  onCursor: (cursor: string) => void;
}) {
  const productRef = useRef<Konva.Image>(null);
  const ghostRef = useRef<Konva.Image>(null);
  const transformerRef = useRef<Konva.Transformer>(null);
  const guideXRef = useRef<Konva.Line>(null);
  const guideYRef = useRef<Konva.Line>(null);
  const productImage = useCanvasImage(product?.src);
  // The part outside the frame is drawn faintly from a small copy: it is a hint, and a drag must not
  // pay for drawing the full image twice.
  const ghostImage = useCanvasImage(product?.src, GHOST_SIDE);

  const placement = useMemo(
    () => (product ? productPlacement(buildObject(doc), product, frame).placement : undefined),
    [doc, product, frame],
  );
  // Original placement draws the whole image (it is the frame); the others draw the object box.
  const crop: Crop | undefined = product
    ? doc.placement === "original"
      ? { x: 0, y: 0, width: product.width, height: product.height }
      : product.objectBox
    : undefined;
  const proxyScale = product && productImage ? sourceWidth(productImage) / product.width : 1;
  const ghostScale = product && ghostImage ? sourceWidth(ghostImage) / product.width : 1;
  const editable = doc.placement === "absolute" && Boolean(product);

  const guides: Guides = useMemo(
    () => ({
      show: (lines: GuideLine[]) => {
        for (const guide of lines) {
          const line = guide.orientation === "vertical" ? guideXRef.current : guideYRef.current;
          line?.points(guide.points);
          line?.visible(true);
        }
      },
      hide: () => {
        guideXRef.current?.visible(false);
        guideYRef.current?.visible(false);
      },
    }),
    [],
  );
  const ghost: Ghost = useMemo(
    () => ({
      follow: () => {
        const node = productRef.current;
        const shadow = ghostRef.current;
        if (!node || !shadow) return;
        shadow.position(node.position());
        shadow.scale(node.scale());
        shadow.rotation(node.rotation());
        shadow.offset(node.offset());
        shadow.visible(sticksOut(node, frame));
      },
    }),
    [frame],
  );
  const gestures = useProductGestures({
    productRef,
    ghost,
    product,
    placement,
    crop,
    frame,
    view,
    dispatch,
    live,
    guides,
  });

  // After React has drawn the data's placement: the ghost shows where the product leaves the frame.
  useLayoutEffect(() => {
    ghost.follow();
    ghostRef.current?.getLayer()?.batchDraw();
  });

  useEffect(() => {
    const transformer = transformerRef.current;
    const node = productRef.current;
    if (!transformer) return;
    transformer.nodes(editable && node && productImage ? [node] : []);
    transformer.getLayer()?.batchDraw();
  }, [editable, productImage, product]);

  // Shift frees the rotation from its snaps while it is held, even in the middle of a turn.
  useEffect(() => {
    const toggle = (event: KeyboardEvent) => {
      if (event.key !== "Shift") return;
      transformerRef.current?.rotationSnaps(rotationSnaps(event.type === "keydown"));
    };
    window.addEventListener("keydown", toggle);
    window.addEventListener("keyup", toggle);
    return () => {
      window.removeEventListener("keydown", toggle);
      window.removeEventListener("keyup", toggle);
    };
  }, []);

  const onEnter = useCallback(() => onCursor(editable ? "move" : "not-allowed"), [onCursor, editable]);
  const onLeave = useCallback(() => onCursor(""), [onCursor]);

  const padding = doc.placement === "padding" ? parsePadding(doc.padding) : undefined;
  const inset = padding?.ok ? paddingInPixels(padding.padding, frame) : undefined;
  const px = 1 / view.zoom;

  return (
    <Layer>
      <Group x={view.x} y={view.y} scaleX={view.zoom} scaleY={view.zoom} name="frame">
        {product && ghostImage && placement && crop ? (
          <KonvaImage
            ref={ghostRef}
            name="product-ghost"
            listening={false}
            perfectDrawEnabled={false}
            opacity={GHOST_OPACITY}
            visible={false}
            image={ghostImage}
            {...drawnAt(placement, crop, ghostScale)}
          />
        ) : null}
        <Group clipX={0} clipY={0} clipWidth={frame.width} clipHeight={frame.height} name="frame-clip">
          {product && productImage && placement && crop ? (
            <ProductBacking productRef={productRef} product={product} zoom={view.zoom} place="under" />
          ) : null}
          {product && productImage && placement && crop ? (
            <KonvaImage
              ref={productRef}
              name="product"
              image={productImage}
              {...drawnAt(placement, crop, proxyScale)}
              draggable={editable}
              onDragMove={gestures.onDragMove}
              onDragEnd={gestures.onDragEnd}
              onTransform={gestures.onTransform}
              onTransformEnd={gestures.onTransformEnd}
              onMouseEnter={onEnter}
              onMouseLeave={onLeave}
            />
          ) : null}
          {product && productImage && placement && crop ? (
            <ProductBacking productRef={productRef} product={product} zoom={view.zoom} place="over" />
          ) : null}
        </Group>
        {inset ? (
          <Rect
            listening={false}
            name="padding-inset"
            x={inset.horizontal}
            y={inset.vertical}
            width={Math.max(0, frame.width - 2 * inset.horizontal)}
            height={Math.max(0, frame.height - 2 * inset.vertical)}
            stroke="#3654ff"
            strokeWidth={1 * px}
            dash={[6 * px, 4 * px]}
          />
        ) : null}
        <Rect
          listening={false}
          width={frame.width}
          height={frame.height}
          stroke="#c9ced6"
          strokeWidth={1 * px}
        />
        <Line
          ref={guideXRef}
          listening={false}
          visible={false}
          stroke="#e5489a"
          strokeWidth={1 * px}
          name="guide"
        />
        <Line
          ref={guideYRef}
          listening={false}
          visible={false}
          stroke="#e5489a"
          strokeWidth={1 * px}
          name="guide"
        />
      </Group>
      <Transformer
        ref={transformerRef}
        name="transformer"
        keepRatio
        flipEnabled={false}
        shiftBehavior="none"
        enabledAnchors={["top-left", "top-right", "bottom-left", "bottom-right"]}
        rotationSnaps={rotationSnaps(false)}
        rotationSnapTolerance={ROTATION_SNAP_DEGREES}
        rotateAnchorOffset={24}
        anchorSize={9}
        anchorCornerRadius={2}
        anchorStroke="#3654ff"
        borderStroke="#3654ff"
        boundBoxFunc={gestures.boundBox}
      />
    </Layer>
  );
}
