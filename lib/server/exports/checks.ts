import type { ExportCheck, ExportFormat, PresetSpec } from "@/lib/scene/export";
import type { OutputIntegrity } from "@/lib/scene/integrity";
import type { Box, Size } from "@/lib/scene/placement";
import type { SceneKind } from "@/lib/scene/vocabulary";

import { fillOf } from "./framing";

/** What was measured of one exported file, for its checks. */
export type ExportFacts = {
  spec: PresetSpec;
  output: Size;
  enlarged: number | null;
  /** The file as encoded, read back. */
  encoded: { format: string; space: string | undefined };
  format: ExportFormat;
  /** The product's box in the export, when known. */
  product?: Box | undefined;
  /** Border pixels of the file as read back, and how many are not pure white. */
  border?: { total: number; notWhite: number } | undefined;
  sceneKind: SceneKind | undefined;
  /** The colour of a plain scene, for saying why a border is not white. */
  sceneColour?: string | undefined;
  integrity: OutputIntegrity | null;
};

const FORMAT_NAMES: Record<string, string> = { jpeg: "JPEG", png: "PNG", webp: "WebP" };
const percent = (share: number) => `${Math.round(share * 100)} %`;
const size = (s: Size) => `${s.width} × ${s.height}`;

function sizeCheck(f: ExportFacts): ExportCheck {
  const min = f.spec.minimum;
  if (f.output.width < min.width || f.output.height < min.height) {
    return {
      id: "size",
      status: "fail",
      message: `${size(f.output)} is smaller than the ${size(min)} this preset needs. It was not enlarged: allow enlarging to make it ${size(min)}.`,
    };
  }
  if (f.enlarged !== null) {
    return {
      id: "size",
      status: "warn",
      message: `${size(f.output)}, enlarged ${f.enlarged}× from the stored image: it may look soft.`,
    };
  }
  return { id: "size", status: "pass", message: size(f.output) };
}

function formatCheck(f: ExportFacts): ExportCheck {
  const name = FORMAT_NAMES[f.encoded.format] ?? f.encoded.format.toUpperCase();
  const srgb = f.encoded.space === "srgb";
  if (f.encoded.format !== f.format || (f.spec.mainImage && !srgb)) {
    return {
      id: "format",
      status: "fail",
      message: `${name}${srgb ? ", sRGB" : ""} instead of ${FORMAT_NAMES[f.format]} sRGB`,
    };
  }
  return { id: "format", status: "pass", message: `${name}${srgb ? ", sRGB" : ""}` };
}

function backgroundCheck(f: ExportFacts): ExportCheck {
  const border = f.border ?? { total: 0, notWhite: 0 };
  if (border.notWhite === 0) {
    return { id: "background", status: "pass", message: "Every border pixel is pure white (#FFFFFF)" };
  }
  const why =
    f.sceneKind === "effect" && f.sceneColour && !/^#?f{3}(f{3})?$/i.test(f.sceneColour)
      ? `: the scene's background is ${f.sceneColour}`
      : f.sceneKind === "effect"
        ? ": the shadow reaches the edge"
        : "";
  return {
    id: "background",
    status: "fail",
    message: `${border.notWhite} of ${border.total} border pixels are not pure white (#FFFFFF)${why}`,
  };
}

function fillCheck(f: ExportFacts, minFill: number): ExportCheck {
  if (!f.product) {
    return {
      id: "fill",
      status: "warn",
      message: "Where the product is in this image is not known, so its fill could not be measured",
    };
  }
  const fill = fillOf(f.product, f.output);
  return fill >= minFill - 0.005
    ? { id: "fill", status: "pass", message: `The product fills ${percent(fill)} of the frame` }
    : {
        id: "fill",
        status: "fail",
        message: `The product fills ${percent(fill)} of the frame, less than the ${percent(minFill)} needed`,
      };
}

function mainImageCheck(f: ExportFacts): ExportCheck {
  if (f.sceneKind === "prompt" || f.sceneKind === "template") {
    return {
      id: "main_image",
      status: "fail",
      message: "Not a main image: the background is an AI scene. Use a secondary image slot.",
    };
  }
  return { id: "main_image", status: "pass", message: "The product on a plain background" };
}

function insideCheck(f: ExportFacts): ExportCheck {
  const p = f.product;
  if (!p) {
    return {
      id: "product_inside",
      status: "info",
      message: "Where the product is in this image is not known",
    };
  }
  const tolerance = 1;
  const inside =
    p.x >= -tolerance &&
    p.y >= -tolerance &&
    p.x + p.width <= f.output.width + tolerance &&
    p.y + p.height <= f.output.height + tolerance;
  return inside
    ? { id: "product_inside", status: "pass", message: "The whole product is in the frame" }
    : {
        id: "product_inside",
        status: "fail",
        message: "The crop cuts off part of the product: use fit contain or product",
      };
}

function integrityCheck(integrity: OutputIntegrity | null): ExportCheck {
  if (!integrity) return { id: "integrity", status: "info", message: "Not checked" };
  switch (integrity.verdict) {
    case "intact":
      return {
        id: "integrity",
        status: "pass",
        message: `The product matches its cutout (similarity ${integrity.similarity?.toFixed(2)})`,
      };
    case "altered":
      return {
        id: "integrity",
        status: "warn",
        message: `The product looks altered (similarity ${integrity.similarity?.toFixed(2)}): compare it with the cutout`,
      };
    case "moved":
      return {
        id: "integrity",
        status: "warn",
        message: `The product is ${Math.round(integrity.offset_px ?? 0)} px from where it was placed, at ${integrity.scale_ratio}× its size`,
      };
    default:
      return { id: "integrity", status: "info", message: `Not judged: ${integrity.reason ?? "unknown"}` };
  }
}

/** A preset's checks of one exported file, in a fixed order. */
export function checksFor(f: ExportFacts): ExportCheck[] {
  const checks = [sizeCheck(f), formatCheck(f)];
  if (f.spec.mainImage) checks.push(backgroundCheck(f));
  if (f.spec.minFill !== undefined) checks.push(fillCheck(f, f.spec.minFill));
  if (f.spec.mainImage) checks.push(mainImageCheck(f));
  checks.push(insideCheck(f), integrityCheck(f.integrity));
  return checks;
}
