import type { Box, Point, Size } from "@/lib/scene/placement";

/** An image given as decoded pixels, interleaved, 8 bits per channel. */
export type RawImage = { pixels: Uint8Array; width: number; height: number; channels: 1 | 2 | 3 | 4 };

/** The product cutout as the request's `object.image_url` decodes: RGBA, auto-oriented. */
export type ProductCutout = {
  pixels: Uint8Array;
  width: number;
  height: number;
  /** The stored image's object box, when known; measured from the alpha channel otherwise. */
  objectBox?: Box;
};

export type Verdict = "intact" | "altered" | "moved" | "unknown";

/** Why an output could not be judged; `reason` says the same in words. */
export type UnknownCode =
  | "placement_not_checked"
  | "request_not_placeable"
  | "product_unreadable"
  | "output_unreadable"
  | "output_size_mismatch"
  | "product_outside_frame"
  | "product_too_small";

export type JudgedIntegrity = {
  verdict: "intact" | "altered" | "moved";
  /** 1: the output shows the product as it is; below `SIMILARITY_MIN`: something in it changed. */
  similarity: number;
  /** How far the product's best match is from where the request put it, in output pixels. */
  offset_px: number;
  offset: Point;
  /** The best match's size over the size the request asked for. */
  scale_ratio: number;
  /** Where the least similar part of the product is in the output (output pixels). */
  worst_region?: Box;
};

export type UnknownIntegrity = {
  verdict: "unknown";
  similarity: null;
  offset_px: null;
  scale_ratio: null;
  code: UnknownCode;
  reason: string;
};

export type IntegrityResult = JudgedIntegrity | UnknownIntegrity;

export function unknownResult(code: UnknownCode, reason: string): UnknownIntegrity {
  return { verdict: "unknown", similarity: null, offset_px: null, scale_ratio: null, code, reason };
}

export type { Box, Point, Size };
