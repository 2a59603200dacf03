"use client";

import type Konva from "konva";
import {
  useCallback,
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import { Group, Image as KonvaImage, Layer, Line, Rect, Stage, Transformer } from "react-konva";

import type { ComposerDoc } from "@/lib/composer/doc";
import type { ImageCache } from "@/lib/composer/frame";
import type { ComposerAction } from "@/lib/composer/reducer";
import { buildObject } from "@/lib/composer/request";
import { clampToFrame, snapCenter } from "@/lib/composer/snap";
import type { View } from "@/lib/composer/view";
import { fitView, wheelZoomFactor, zoomAt } from "@/lib/composer/view";
import { paddingInPixels, parsePadding } from "@/lib/scene/padding";
import type { ImagePlacement, Size } from "@/lib/scene/placement";
import { absoluteValuesFromCanvas, fitFactor, placedBounds, productPlacement } from "@/lib/scene/placement";
import { SCALE_MIN } from "@/lib/scene/vocabulary";

import type { LivePlacement } from "../live-placement";
import { checkerTile, useCanvasImage } from "./use-canvas-image";

export type StageViewProps = {
  doc: ComposerDoc;
  images: ImageCache;
  frame: Size;
  dispatch: (action: ComposerAction) => void;
  /** Filled in by the canvas so the toolbar and keys can zoom it. */
  controls?: React.Ref<CanvasControls>;
  onZoomChange?: (zoom: number) => void;
  /** Receives the placement, in API units, while a drag or transform is under way (null at its end). */
  live?: LivePlacement;
};

const ROTATION_SNAPS = [0, 45, 90, 135, 180, 225, 270, 315];
const SNAP_SCREEN_PX = 6;
const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

export type CanvasControls = {
  /** Zooms by a factor around the middle of the canvas. */
  zoomBy: (factor: number) => void;
  /** Fits the frame to the canvas again. */
  fit: () => void;
};

type CanvasHandle = {
  frame: Size;
  zoom: () => number;
  /** The frame's rectangle in page (CSS) pixels. */
  frameRect: () => { x: number; y: number; width: number; height: number };
  /** A frame point in page pixels, for driving the canvas with a mouse. */
  toPage: (point: { x: number; y: number }) => { x: number; y: number };
  /** The product's object box as drawn by Konva, as axis-aligned bounds in frame pixels. */
  productObjectBounds: () => { x: number; y: number; width: number; height: number } | null;
};

declare global {
  interface Window {
    __backdropStage?: Konva.Stage;
    __backdropCanvas?: CanvasHandle;
  }
}

function useContainerSize(ref: React.RefObject<HTMLDivElement | null>): Size {
  const [size, setSize] = useState<Size>({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setSize({ width: element.clientWidth, height: element.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return size;
}

/**
 * The node shows only `crop` (image pixels) of the image: the object box, so the transformer hugs the
 * product rather than its transparent margins. Node-local point q is image point crop.origin + q.
 */
type Crop = { x: number; y: number; width: number; height: number };

function applyPlacement(node: Konva.Image, placement: ImagePlacement, crop: Crop) {
  node.position(placement.center);
  node.offset({ x: placement.anchor.x - crop.x, y: placement.anchor.y - crop.y });
  node.scale({ x: placement.scaleX, y: placement.scaleY });
  node.rotation(placement.rotation);
}

function sourceWidth(image: CanvasImageSource): number {
  if (image instanceof HTMLImageElement) return image.naturalWidth;
  if (image instanceof ImageBitmap || image instanceof HTMLCanvasElement) return image.width;
  return 1;
}

export default function StageView({
  doc,
  images,
  frame,
  dispatch,
  controls,
  onZoomChange,
  live,
}: StageViewProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const stageRef = useRef<Konva.Stage>(null);
  const productRef = useRef<Konva.Image>(null);
  const transformerRef = useRef<Konva.Transformer>(null);
  const frameGroupRef = useRef<Konva.Group>(null);
  const guideXRef = useRef<Konva.Line>(null);
  const guideYRef = useRef<Konva.Line>(null);
  const container = useContainerSize(containerRef);

  const product = images[doc.imageUrl];
  const templateMeta =
    doc.kind === "template" && doc.scene.template_url ? images[doc.scene.template_url] : undefined;
  const productImage = useCanvasImage(product?.src);
  const templateImage = useCanvasImage(templateMeta?.src, 2048);

  const placement = useMemo(
    () => (product ? productPlacement(buildObject(doc), product, frame).placement : undefined),
    [doc, product, frame],
  );
  const placementRef = useRef(placement);
  // Original placement draws the whole image (it is the frame); the others draw the object box.
  const crop: Crop | undefined = product
    ? doc.placement === "original"
      ? { x: 0, y: 0, width: product.width, height: product.height }
      : product.objectBox
    : undefined;
  const cropRef = useRef(crop);
  const proxyScale = product && productImage ? sourceWidth(productImage) / product.width : 1;
  const editable = doc.placement === "absolute" && Boolean(product);

  // The view follows the container and the frame until someone zooms; "fit" goes back to following.
  // A zoomed view belongs to the frame it was made for; a new frame is fitted again.
  const viewKey = `${frame.width}x${frame.height}`;
  const [manualView, setManualView] = useState<{ key: string; view: View } | null>(null);
  const fitted = useMemo(() => fitView(container, frame), [container, frame]);
  const view = manualView?.key === viewKey ? manualView.view : fitted;
  const viewRef = useRef(view);
  // Event handlers read the latest values through refs; they are updated after each render.
  useLayoutEffect(() => {
    placementRef.current = placement;
    cropRef.current = crop;
    viewRef.current = view;
  });

  useImperativeHandle(
    controls,
    () => ({
      zoomBy: (factor) =>
        setManualView({
          key: viewKey,
          view: zoomAt(viewRef.current, { x: container.width / 2, y: container.height / 2 }, factor),
        }),
      fit: () => setManualView(null),
    }),
    [viewKey, container],
  );
  useEffect(() => onZoomChange?.(view.zoom), [view.zoom, onZoomChange]);

  // React only writes props that changed; a gesture that ends where the data already was must still
  // put the node back where the data says.
  const resync = useCallback(() => {
    requestAnimationFrame(() => {
      const node = productRef.current;
      const current = placementRef.current;
      const currentCrop = cropRef.current;
      if (node && current && currentCrop) {
        applyPlacement(node, current, currentCrop);
        node.getLayer()?.batchDraw();
      }
    });
  }, []);

  useEffect(() => {
    const transformer = transformerRef.current;
    const node = productRef.current;
    if (!transformer) return;
    transformer.nodes(editable && node && productImage ? [node] : []);
    transformer.getLayer()?.batchDraw();
  }, [editable, productImage, product]);

  // Shift frees the rotation from its 45° snaps while it is held.
  useEffect(() => {
    const toggle = (event: KeyboardEvent) => {
      if (event.key !== "Shift") return;
      transformerRef.current?.rotationSnaps(event.type === "keydown" ? [] : ROTATION_SNAPS);
    };
    window.addEventListener("keydown", toggle);
    window.addEventListener("keyup", toggle);
    return () => {
      window.removeEventListener("keydown", toggle);
      window.removeEventListener("keyup", toggle);
    };
  }, []);

  // Tests and the canvas benchmark read and drive the canvas through these.
  useEffect(() => {
    const stage = stageRef.current;
    if (!stage) return;
    window.__backdropStage = stage;
    window.__backdropCanvas = {
      frame,
      zoom: () => viewRef.current.zoom,
      frameRect: () => {
        const box = stage.container().getBoundingClientRect();
        const v = viewRef.current;
        return {
          x: box.left + v.x,
          y: box.top + v.y,
          width: frame.width * v.zoom,
          height: frame.height * v.zoom,
        };
      },
      toPage: (point) => {
        const box = stage.container().getBoundingClientRect();
        const v = viewRef.current;
        return { x: box.left + v.x + point.x * v.zoom, y: box.top + v.y + point.y * v.zoom };
      },
      productObjectBounds: () => {
        const node = productRef.current;
        const meta = product;
        const shown = cropRef.current;
        if (!node || !meta || !shown) return null;
        const transform = node.getTransform();
        const b = { ...meta.objectBox, x: meta.objectBox.x - shown.x, y: meta.objectBox.y - shown.y };
        const corners = [
          transform.point({ x: b.x, y: b.y }),
          transform.point({ x: b.x + b.width, y: b.y }),
          transform.point({ x: b.x + b.width, y: b.y + b.height }),
          transform.point({ x: b.x, y: b.y + b.height }),
        ];
        const xs = corners.map((c) => c.x);
        const ys = corners.map((c) => c.y);
        const x = Math.min(...xs);
        const y = Math.min(...ys);
        return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
      },
    };
  }, [frame, product, container]);

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
  const endLive = () => {
    // After any pending frame's update, so the gesture's end always clears it.
    requestAnimationFrame(() => live?.set(null));
  };

  const hideGuides = () => {
    guideXRef.current?.visible(false);
    guideYRef.current?.visible(false);
  };

  const onDragMove = (event: Konva.KonvaEventObject<DragEvent>) => {
    const node = productRef.current;
    const current = placementRef.current;
    if (!node || !current || !product) return;
    let center = clampToFrame({ x: node.x(), y: node.y() }, frame);
    hideGuides();
    if (!event.evt.altKey) {
      const bounds = placedBounds({ ...current, center: { x: 0, y: 0 } }, product.objectBox);
      const snapped = snapCenter(
        center,
        { x: bounds.width / 2, y: bounds.height / 2 },
        frame,
        SNAP_SCREEN_PX / viewRef.current.zoom,
      );
      center = snapped.center;
      for (const guide of snapped.guides) {
        const line = guide.orientation === "vertical" ? guideXRef.current : guideYRef.current;
        line?.points(
          guide.orientation === "vertical"
            ? [guide.at, 0, guide.at, frame.height]
            : [0, guide.at, frame.width, guide.at],
        );
        line?.visible(true);
      }
    }
    node.position(center);
    publishLive();
  };

  const onDragEnd = () => {
    const node = productRef.current;
    hideGuides();
    endLive();
    if (!node) return;
    dispatch({ type: "dragEnd", center: { x: node.x(), y: node.y() } });
    resync();
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

  // The schema's scale range, in the transformer's screen units: refuse boxes outside it.
  const boundBox = useCallback(
    <B extends { width: number }>(oldBox: B, newBox: B): B => {
      const shown = cropRef.current;
      if (!product || !shown) return oldBox;
      const imageScale = Math.abs(newBox.width) / (shown.width * viewRef.current.zoom);
      const fit = fitFactor(frame, product.objectBox);
      if (imageScale > fit * 1.0005 || imageScale < fit * SCALE_MIN * 0.9995) return oldBox;
      return newBox;
    },
    [product, frame],
  );

  const onWheel = (event: Konva.KonvaEventObject<WheelEvent>) => {
    event.evt.preventDefault();
    const pointer = stageRef.current?.getPointerPosition();
    if (!pointer) return;
    setManualView({
      key: viewKey,
      view: zoomAt(viewRef.current, pointer, wheelZoomFactor(event.evt.deltaY)),
    });
  };

  const color = doc.kind !== "template" ? doc.scene.color : undefined;
  const transparent = color === "transparent";
  const background = color && HEX.test(color) ? color : "#ffffff";
  const padding = doc.placement === "padding" ? parsePadding(doc.padding) : undefined;
  const inset = padding?.ok ? paddingInPixels(padding.padding, frame) : undefined;
  const px = 1 / view.zoom;

  return (
    <div ref={containerRef} className="absolute inset-0" data-testid="canvas-container">
      {container.width > 0 && container.height > 0 ? (
        <Stage ref={stageRef} width={container.width} height={container.height} onWheel={onWheel}>
          <Layer listening={false}>
            <Group x={view.x} y={view.y} scaleX={view.zoom} scaleY={view.zoom}>
              <Rect
                width={frame.width}
                height={frame.height}
                shadowColor="#111418"
                shadowOpacity={0.18}
                shadowBlur={24 * px}
                shadowOffsetY={4 * px}
                {...(transparent
                  ? {
                      fillPatternImage: checkerTile() as unknown as HTMLImageElement,
                      fillPatternScale: { x: px, y: px },
                    }
                  : { fill: background })}
              />
              {templateImage ? (
                <KonvaImage image={templateImage} width={frame.width} height={frame.height} name="template" />
              ) : null}
            </Group>
          </Layer>
          <Layer>
            <Group
              ref={frameGroupRef}
              x={view.x}
              y={view.y}
              scaleX={view.zoom}
              scaleY={view.zoom}
              name="frame"
            >
              <Group clipX={0} clipY={0} clipWidth={frame.width} clipHeight={frame.height}>
                {product && productImage && placement && crop ? (
                  <KonvaImage
                    ref={productRef}
                    name="product"
                    image={productImage}
                    crop={{
                      x: crop.x * proxyScale,
                      y: crop.y * proxyScale,
                      width: crop.width * proxyScale,
                      height: crop.height * proxyScale,
                    }}
                    width={crop.width}
                    height={crop.height}
                    x={placement.center.x}
                    y={placement.center.y}
                    offsetX={placement.anchor.x - crop.x}
                    offsetY={placement.anchor.y - crop.y}
                    scaleX={placement.scaleX}
                    scaleY={placement.scaleY}
                    rotation={placement.rotation}
                    draggable={editable}
                    onDragMove={onDragMove}
                    onDragEnd={onDragEnd}
                    onTransform={publishLive}
                    onTransformEnd={onTransformEnd}
                    onMouseEnter={() => {
                      const c = stageRef.current?.container();
                      if (c) c.style.cursor = editable ? "move" : "not-allowed";
                    }}
                    onMouseLeave={() => {
                      const c = stageRef.current?.container();
                      if (c) c.style.cursor = "";
                    }}
                  />
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
              rotationSnaps={ROTATION_SNAPS}
              rotationSnapTolerance={5}
              rotateAnchorOffset={24}
              anchorSize={9}
              anchorCornerRadius={2}
              anchorStroke="#3654ff"
              borderStroke="#3654ff"
              boundBoxFunc={boundBox}
            />
          </Layer>
        </Stage>
      ) : null}
    </div>
  );
}
