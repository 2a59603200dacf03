import type { SceneCreateRequest } from "@/lib/scene/contract";
import type { Box, ImagePlacement, Size } from "@/lib/scene/placement";
import { toFrame, visiblePlacedBounds } from "@/lib/scene/placement";

import { expectedPlacement } from "./expected";
import type { IntegrityResult } from "./types";

/**
 * Where the product is in an output: the part inside the frame of the product's object box, drawn at
 * the pose the check found (the expected placement when it could not judge, but could place). Exports
 * frame the product with it. Undefined when the request does not place the product in this output.
 */
export function locatedProductBox(
  input: {
    request: SceneCreateRequest;
    product: Size & { objectBox: Box };
    output: Size;
    frame?: Size | undefined;
  },
  result: IntegrityResult,
): Box | undefined {
  const expected = expectedPlacement(input.request, input.product, input.output, input.frame);
  if (!expected.ok) return undefined;
  const { placement, frame } = expected;
  const box = input.product.objectBox;
  const pose =
    result.verdict === "unknown"
      ? { s: 1, dx: 0, dy: 0 }
      : { s: result.scale_ratio, dx: result.offset.x, dy: result.offset.y };
  // The check's pose scales the placed product about its object box's centre, then moves it.
  const pivot = toFrame(placement, { x: box.x + box.width / 2, y: box.y + box.height / 2 });
  const posed: ImagePlacement = {
    ...placement,
    center: {
      x: pivot.x + pose.dx + pose.s * (placement.center.x - pivot.x),
      y: pivot.y + pose.dy + pose.s * (placement.center.y - pivot.y),
    },
    scaleX: placement.scaleX * pose.s,
    scaleY: placement.scaleY * pose.s,
  };
  const visible = visiblePlacedBounds(posed, box, frame);
  if (!visible) return undefined;
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    x: round(visible.x),
    y: round(visible.y),
    width: round(visible.width),
    height: round(visible.height),
  };
}
