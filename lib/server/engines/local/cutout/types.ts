export type Rgb = { r: number; g: number; b: number };

/** 8-bit RGBA pixels, row by row. */
export type RgbaImage = { data: Buffer; width: number; height: number };

/** 8-bit RGB pixels (three bytes a pixel), row by row. */
export type RgbRaster = { data: Uint8Array; width: number; height: number };

export type CutoutResult =
  /**
   * The product on a transparent background. `background`: the mean colour of the border that was
   * removed. `confidence` (0–1): the share of the border that is plain background times how clearly
   * the outline stands out from it (1 for a median colour step of 64 levels or more); a low value
   * means a faint outline, where the product may have lost or kept a little too much.
   */
  | { kind: "cutout"; image: RgbaImage; background: Rgb; confidence: number }
  /** The image already had transparency: it is handed back as it was (decoded, oriented). */
  | { kind: "unchanged"; image: RgbaImage; reason: string }
  /** The background is not a plain colour or a smooth gradient: the local cutout cannot do it. */
  | { kind: "busy"; reason: string }
  /** Nothing stands out from the background. */
  | { kind: "empty"; reason: string };

export type CutoutOptions = {
  /** Larger images are refused (413, as at intake). Default: 50 megapixels. */
  maxPixels?: number;
};
