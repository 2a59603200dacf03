"use client";

import type Konva from "konva";
import { useEffect, useMemo, useRef } from "react";
import { Stage } from "react-konva";

import { backdropOf } from "@/lib/composer/backdrop";
import type { ComposerDoc } from "@/lib/composer/doc";
import type { ImageCache } from "@/lib/composer/frame";
import type { ComposerAction } from "@/lib/composer/reducer";
import type { View } from "@/lib/composer/view";
import type { Size } from "@/lib/scene/placement";

import type { LivePlacement } from "../live-placement";
import { FrameBackdrop } from "./frame-backdrop";
import { ProductLayer } from "./product-layer";
import { useBackdropPreview } from "./use-backdrop-preview";
import { useCanvasImage } from "./use-canvas-image";
import { useCanvasNavigation } from "./use-canvas-navigation";
import { useContainerSize } from "./use-container-size";

export type StageViewProps = {
  doc: ComposerDoc;
  images: ImageCache;
  frame: Size;
  /** The camera's view of the frame (see `lib/composer/camera`); the canvas reports its size and zooms. */
  view: View;
  dispatch: (action: ComposerAction) => void;
  /** Receives the placement, in API units, while a drag or transform is under way (null at its end). */
  live?: LivePlacement;
};

/** The Konva canvas: the frame as the camera sees it, its backdrop, and the product on top. */
export default function StageView({ doc, images, frame, view, dispatch, live }: StageViewProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const stageRef = useRef<Konva.Stage>(null);
  const container = useContainerSize(containerRef);
  const navigation = useCanvasNavigation({ containerRef, stageRef, dispatch, view });

  useEffect(() => {
    dispatch({ type: "viewportResized", size: container });
  }, [container, dispatch]);

  const product = images[doc.imageUrl];
  const templateMeta =
    doc.kind === "template" && doc.scene.template_url ? images[doc.scene.template_url] : undefined;
  const templateImage = useCanvasImage(templateMeta?.src, 2048);
  const backdrop = useMemo(() => backdropOf(doc), [doc]);
  const preview = useBackdropPreview(backdrop.render, frame);

  return (
    <div
      ref={containerRef}
      className="absolute inset-0"
      data-testid="canvas-container"
      data-navigation={navigation.panning ? "panning" : navigation.spaceHeld ? "space" : undefined}
    >
      {container.width > 0 && container.height > 0 ? (
        <Stage ref={stageRef} width={container.width} height={container.height} onWheel={navigation.onWheel}>
          <FrameBackdrop
            view={view}
            frame={frame}
            backdrop={backdrop}
            template={templateImage}
            preview={preview}
          />
          <ProductLayer
            doc={doc}
            product={product}
            frame={frame}
            view={view}
            dispatch={dispatch}
            live={live}
            onCursor={navigation.setCursor}
          />
        </Stage>
      ) : null}
    </div>
  );
}
