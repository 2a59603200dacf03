import type { SceneCreateRequest } from "@/lib/scene/contract";
import { parsePadding } from "@/lib/scene/padding";
import type { Box, ImagePlacement, Size } from "@/lib/scene/placement";
import {
  absoluteValuesOf,
  frameSizeFor,
  frameSourceOf,
  paddingFitsFrame,
  placeAbsolute,
  placeOriginal,
  placePadding,
} from "@/lib/scene/placement";

import type { UnknownIntegrity } from "./types";
import { unknownResult } from "./types";

export type ExpectedPlacement =
  { ok: true; frame: Size; placement: ImagePlacement } | { ok: false; unknown: UnknownIntegrity };

/** An output may differ from the frame by the rounding of its sides, not by its shape. */
function sameAspect(output: Size, frame: Size): boolean {
  const widthAtOutputHeight = (frame.width / frame.height) * output.height;
  return Math.abs(widthAtOutputHeight - output.width) <= 1.5;
}

/**
 * Where the request puts the product in an output of `output` size, with the geometry the canvas and
 * the local engine draw with. Placement is relative to the frame, so an output of another resolution
 * but the same shape is judged at its own size (pixel paddings are taken as that output's pixels).
 * `frame` is the frame the request was rendered at when the caller knows it (a template scene's frame
 * comes from its template, which only the caller has).
 */
export function expectedPlacement(
  request: SceneCreateRequest,
  product: Size & { objectBox: Box },
  output: Size,
  frame?: Size,
): ExpectedPlacement {
  const object = request.object;
  const kind = object.placement_type ?? "absolute";
  if (kind !== "absolute" && kind !== "padding" && kind !== "original") {
    return {
      ok: false,
      unknown: unknownResult("placement_not_checked", `Placement "${String(kind)}" is not checked`),
    };
  }
  const expectedFrame =
    frame ?? (frameSourceOf(request) === "template" ? undefined : frameSizeFor(request, { input: product }));
  if (expectedFrame && !sameAspect(output, expectedFrame)) {
    return {
      ok: false,
      unknown: unknownResult(
        "output_size_mismatch",
        `The output is ${output.width} × ${output.height}, not the shape of the requested ` +
          `${expectedFrame.width} × ${expectedFrame.height} frame`,
      ),
    };
  }
  if (object.placement_type === "original") {
    return { ok: true, frame: output, placement: placeOriginal(output, product) };
  }
  if (object.placement_type === "padding") {
    const parsed = parsePadding(object.padding);
    if (!parsed.ok || !paddingFitsFrame(parsed.padding, output)) {
      return {
        ok: false,
        unknown: unknownResult(
          "request_not_placeable",
          `Padding "${object.padding}" does not fit the ${output.width} × ${output.height} output`,
        ),
      };
    }
    return { ok: true, frame: output, placement: placePadding(output, product.objectBox, parsed.padding) };
  }
  return {
    ok: true,
    frame: output,
    placement: placeAbsolute(output, product.objectBox, absoluteValuesOf(object)),
  };
}
