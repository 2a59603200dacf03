"use client";

import { Group, Image as KonvaImage, Layer, Rect } from "react-konva";

import type { Backdrop } from "@/lib/composer/backdrop";
import type { View } from "@/lib/composer/view";
import type { Size } from "@/lib/scene/placement";
import { TRANSPARENT } from "@/lib/scene/vocabulary";

import type { BackdropPreview } from "./use-backdrop-preview";
import { checkerTile } from "./use-canvas-image";

/**
 * The frame's backdrop as the draft will have it: its paper (a colour, or a checkerboard for
 * transparent), the template image, and over them the local engine's render when the scene asks for
 * one (a prompt's studio, a tinted template). Static: nothing here listens or moves during a drag.
 */
export function FrameBackdrop({
  view,
  frame,
  backdrop,
  template,
  preview,
}: {
  view: View;
  frame: Size;
  backdrop: Backdrop;
  template: CanvasImageSource | undefined;
  preview: BackdropPreview | undefined;
}) {
  const px = 1 / view.zoom;
  return (
    <Layer listening={false}>
      <Group x={view.x} y={view.y} scaleX={view.zoom} scaleY={view.zoom}>
        <Rect
          width={frame.width}
          height={frame.height}
          shadowColor="#111418"
          shadowOpacity={0.18}
          shadowBlur={24 * px}
          shadowOffsetY={4 * px}
          {...(backdrop.fill === TRANSPARENT
            ? {
                fillPatternImage: checkerTile() as unknown as HTMLImageElement,
                fillPatternScale: { x: px, y: px },
              }
            : { fill: backdrop.fill })}
        />
        {backdrop.template && template ? (
          <KonvaImage image={template} width={frame.width} height={frame.height} name="template" />
        ) : null}
        {preview ? (
          <KonvaImage
            image={preview.image}
            width={frame.width}
            height={frame.height}
            name="backdrop-preview"
            previewHref={preview.href}
          />
        ) : null}
      </Group>
    </Layer>
  );
}
