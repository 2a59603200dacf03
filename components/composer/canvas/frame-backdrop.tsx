"use client";

import { Group, Image as KonvaImage, Layer, Rect } from "react-konva";

import type { View } from "@/lib/composer/view";
import type { Size } from "@/lib/scene/placement";

import { checkerTile } from "./use-canvas-image";

/** The frame's paper: its colour (a checkerboard for transparent) and the template image. Static. */
export function FrameBackdrop({
  view,
  frame,
  color,
  template,
}: {
  view: View;
  frame: Size;
  /** The scene's colour: a hex value, "transparent", or none (white). */
  color: string | undefined;
  template: CanvasImageSource | undefined;
}) {
  const px = 1 / view.zoom;
  const background = color && HEX.test(color) ? color : "#ffffff";
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
          {...(color === "transparent"
            ? {
                fillPatternImage: checkerTile() as unknown as HTMLImageElement,
                fillPatternScale: { x: px, y: px },
              }
            : { fill: background })}
        />
        {template ? (
          <KonvaImage image={template} width={frame.width} height={frame.height} name="template" />
        ) : null}
      </Group>
    </Layer>
  );
}

const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
