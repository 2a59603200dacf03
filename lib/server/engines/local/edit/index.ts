import "server-only";

import sharp, { type Sharp } from "sharp";

import type { FormatName } from "@/lib/scene/contract";
import { parseEditPadding, type ImageEditRequest } from "@/lib/scene/image-edit";
import { destinationOf, isRecord, OUTPUT_FORMATS, TRANSPARENT } from "@/lib/scene/vocabulary";

import type { Config } from "../../../config";
import { errors } from "../../../errors";
import { megapixels as plainMegapixels } from "../../../errors/plain";
import { checkUntrustedImage, decodeUntrustedImage } from "../../../images/decode";
import { imageLimitsFrom } from "../../../images/intake";
import { objectBoxOfRaw } from "../../../images/object-box";
import { imageWorkQueue } from "../../../images/work-queue";
import { sha256Hex } from "../../../storage";
import type { EngineContext, EngineOutput, EngineResult, ImageEditJob } from "../../types";
import { colourField, type Rgb } from "../colour";
import { removeBackgroundOffThread } from "../cutout/off-thread";
import type { RgbaImage } from "../cutout/types";
import { applyEncoding, encodingOf, FORMAT_INFO, FORMATS_WITH_ALPHA, megapixels } from "../encode";
import { inputError, readInput } from "../inputs";
import { isStorageUri, resolveStorageUri, writeToStorage } from "../storages";
import { plannedSize, planPadding, planResize } from "./plan";
import { localFit, unsupportedOnLocal, type LocalFit } from "./support";

type Fill = { r: number; g: number; b: number; alpha: number };

const WHITE: Fill = { r: 255, g: 255, b: 255, alpha: 1 };
const CLEAR: Fill = { r: 0, g: 0, b: 0, alpha: 0 };

function elapsed(since: number): number {
  return Math.round((performance.now() - since) * 10) / 10;
}

function hasTransparency(rgba: Uint8Array): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return true;
  return false;
}

function raw(image: RgbaImage): Sharp {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } });
}

async function toRaw(pipeline: Sharp): Promise<RgbaImage> {
  const { data, info } = await pipeline.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** What the request asks of the picture, read once from its operations. */
function intentOf(request: ImageEditRequest) {
  const operations = request.operations ?? {};
  const remove = operations.background?.remove;
  const colour = operations.background?.color;
  const fit = localFit(operations.resizing?.fit) as LocalFit;
  const format = typeof request.output === "object" ? request.output.format : undefined;
  return {
    removing: remove === true || isRecord(remove),
    clipping: isRecord(remove) && remove.clipping === true,
    transparent: colour === TRANSPARENT,
    colour: colour && colour !== TRANSPARENT ? colourField(colour, "operations.background.color") : undefined,
    padding: operations.padding === undefined ? undefined : parseEditPadding(operations.padding),
    resizing: operations.resizing,
    fit,
    format: format === undefined ? undefined : typeof format === "string" ? format : format.type,
    encodingSpec: format,
  };
}

/** The output format: as asked; otherwise the input's own, or PNG when that cannot hold what is kept. */
function formatFor(asked: FormatName | undefined, input: string, keepsAlpha: boolean): FormatName {
  if (asked) return asked;
  const own = (OUTPUT_FORMATS as readonly string[]).includes(input) ? (input as FormatName) : "png";
  return keepsAlpha && !FORMATS_WITH_ALPHA.includes(own) ? "png" : own;
}

function fillOf(colour: Rgb): Fill {
  return { ...colour, alpha: 1 };
}

/**
 * What the local engine refuses from an edit's body alone, before anything is spent or recorded:
 * operations it does not do (each by name), a transparent background in a format without alpha, a
 * colour it cannot read, a destination it cannot write. Answers what the body asks, read once.
 */
export function checkEditLocally(request: ImageEditRequest, config: Config) {
  const unsupported = unsupportedOnLocal(request);
  if (unsupported.length) throw errors.unsupportedOnLocal(unsupported);
  const intent = intentOf(request);
  if (intent.transparent && intent.format && !FORMATS_WITH_ALPHA.includes(intent.format)) {
    throw errors.invalid(
      "operations.background.color",
      `A transparent background needs png, webp or avif output, not ${intent.format}`,
      "transparent_needs_alpha_format",
    );
  }
  const destinationUri = destinationOf(request);
  const field = typeof request.output === "string" ? "output" : "output.destination";
  if (destinationUri && !isStorageUri(destinationUri)) throw errors.unsupportedDestination(field);
  const folder = destinationUri ? resolveStorageUri(destinationUri, config, field) : undefined;
  return { intent, folder };
}

/**
 * `POST /v1/image/edit` on the local engine: background removal with the local cutout (plain
 * backgrounds only), background colour, padding, resizing and every output format of the scene
 * contract; anything else is refused by name before any work (`support.ts`). Deterministic: the
 * same request and input give the same bytes.
 */
export async function editImageLocally(job: ImageEditJob, ctx: EngineContext): Promise<EngineResult> {
  const started = performance.now();
  const { request } = job;
  // Checked again here: a queued edit may run on an instance configured otherwise.
  const { intent, folder } = checkEditLocally(request, ctx.config);
  const limits = imageLimitsFrom(ctx.config);
  const timings: Record<string, number> = {};

  const input = await readInput(request.input, "input", {
    config: ctx.config,
    storage: ctx.storage,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  const checked = await checkUntrustedImage(input.bytes, limits).catch((error: unknown) => {
    throw inputError(error, "input");
  });
  timings.read_ms = elapsed(started);

  // Pixels held at once are bounded like uploads': a few hundred megabytes for a large image.
  const rendered = await imageWorkQueue(ctx.config).decodeSlot(async () => {
    let t = performance.now();
    let image: RgbaImage;
    if (intent.removing) {
      const cut = await removeBackgroundOffThread(input.bytes, {
        maxPixels: limits.maxPixels,
        threads: ctx.config.CUTOUT_THREADS,
      }).catch((error: unknown) => {
        throw inputError(error, "input");
      });
      if (cut.kind === "busy" || cut.kind === "empty")
        throw errors.backgroundNotRemovable(cut.reason, cut.kind);
      ctx.log.info("background removed", {
        kind: cut.kind,
        ...(cut.kind === "cutout" ? { confidence: cut.confidence } : {}),
      });
      image = cut.image;
      timings.cutout_ms = elapsed(t);
    } else {
      const decoded = await decodeUntrustedImage(input.bytes, limits).catch((error: unknown) => {
        throw inputError(error, "input");
      });
      image = { data: decoded.pixels, width: decoded.orientedWidth, height: decoded.orientedHeight };
      timings.decode_ms = elapsed(t);
    }

    t = performance.now();
    const source = { width: image.width, height: image.height };
    if (intent.clipping) {
      const box = await objectBoxOfRaw(image.data, { ...source, channels: 4 });
      if (box.width !== image.width || box.height !== image.height) {
        image = await toRaw(
          raw(image).extract({ left: box.x, top: box.y, width: box.width, height: box.height }),
        );
      }
    }
    const seeThrough = hasTransparency(image.data);
    const keepsAlpha = intent.transparent || (!intent.removing && !intent.colour && seeThrough);
    const format = formatFor(intent.format, checked.format, keepsAlpha);
    // New space (a canvas fit, padding) takes the background colour; without one it matches the picture.
    const fill: Fill = intent.colour
      ? fillOf(intent.colour)
      : intent.transparent || (!intent.removing && seeThrough)
        ? CLEAR
        : WHITE;

    const picture = await arrange(image, source, intent, fill, ctx);
    const flattenOnto =
      intent.colour ?? (keepsAlpha && FORMATS_WITH_ALPHA.includes(format) ? undefined : WHITE);
    let pipeline = raw(picture);
    if (flattenOnto) {
      const { r, g, b } = flattenOnto;
      pipeline = pipeline.flatten({ background: { r, g, b } });
    }
    const encoding = encodingOf(intent.encodingSpec ?? format);
    const bytes = await applyEncoding(pipeline, encoding).toBuffer();
    timings.render_ms = elapsed(t);
    return { bytes, format, width: picture.width, height: picture.height };
  });

  const t = performance.now();
  const info = {
    ...FORMAT_INFO[rendered.format],
    width: rendered.width,
    height: rendered.height,
    mps: megapixels(rendered.width, rendered.height),
  };
  let output: EngineOutput;
  if (folder) {
    const name = `${sha256Hex(rendered.bytes).slice(0, 16)}.${info.ext}`;
    const written = await writeToStorage(folder, name, rendered.bytes);
    output = {
      info: { ...info, object_key: written.key, object_bucket: folder.name, object_uri: written.uri },
      size: rendered.bytes.byteLength,
      destination: written.uri,
    };
  } else {
    const stored = await ctx.storage.put(rendered.bytes, info.ext);
    output = { info, key: stored.key, size: stored.size };
  }
  timings.store_ms = elapsed(t);
  timings.total_ms = elapsed(started);

  const inputFormat = FORMAT_INFO[checked.format as FormatName];
  return {
    input: {
      ext: inputFormat?.ext ?? checked.format,
      mime: checked.mime,
      format: inputFormat?.format ?? checked.format.toUpperCase(),
      width: checked.orientedWidth,
      height: checked.orientedHeight,
      mps: megapixels(checked.orientedWidth, checked.orientedHeight),
    },
    outputs: [output],
    timings,
  };
}

/** Resizing and padding, in that order, on raw RGBA pixels. */
async function arrange(
  image: RgbaImage,
  source: { width: number; height: number },
  intent: ReturnType<typeof intentOf>,
  fill: Fill,
  ctx: EngineContext,
): Promise<RgbaImage> {
  const maxPixels = ctx.config.MAX_IMAGE_PIXELS;
  const fits = (size: { width: number; height: number }, field: string) => {
    if (size.width * size.height <= maxPixels) return;
    throw errors.invalid(
      field,
      `The result would be ${size.width} × ${size.height} pixels; at most ${plainMegapixels(maxPixels)} are made`,
    );
  };

  if (intent.padding) {
    // Padding keeps the output's size: the input's, or what resizing makes of it.
    const frame = plannedSize(source, planResize(source, intent.resizing, intent.fit));
    fits(frame, intent.resizing ? "operations.resizing" : "operations.padding");
    const plan = planPadding(frame, intent.padding, image);
    if ("tooLarge" in plan) throw errors.invalid("operations.padding", plan.tooLarge, "padding_too_large");
    const { placed } = plan;
    return toRaw(
      raw(image)
        .resize(placed.width, placed.height, { fit: "fill" })
        .extend({
          top: placed.y,
          left: placed.x,
          bottom: frame.height - placed.y - placed.height,
          right: frame.width - placed.x - placed.width,
          background: fill,
        }),
    );
  }

  const plan = planResize(image, intent.resizing, intent.fit);
  if (!plan) return image;
  fits(plannedSize(image, plan), "operations.resizing");
  if (plan.kind === "canvas") {
    const { size, canvas } = plan;
    const left = Math.floor((canvas.width - size.width) / 2);
    const top = Math.floor((canvas.height - size.height) / 2);
    return toRaw(
      raw(image)
        .resize(size.width, size.height, { fit: "fill" })
        .extend({
          top,
          left,
          bottom: canvas.height - top - size.height,
          right: canvas.width - left - size.width,
          background: fill,
        }),
    );
  }
  let pipeline = raw(image).resize(plan.size.width, plan.size.height, { fit: "fill" });
  if (plan.crop) {
    pipeline = pipeline.extract({
      left: Math.floor((plan.size.width - plan.crop.width) / 2),
      top: Math.floor((plan.size.height - plan.crop.height) / 2),
      width: plan.crop.width,
      height: plan.crop.height,
    });
  }
  return toRaw(pipeline);
}
