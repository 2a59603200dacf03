import { bottle, box, brush, can, jar, shoe, spray, tube, WHITE } from "./products";
import type { Backdrop, PhotoSpec, Product, Rgb, SoftShadow } from "./render-photo";
import { randomSource } from "./render-photo";

/**
 * The product-on-solid test set: 48 photos, 0.3 to 2 megapixels, rendered in code from a fixed seed.
 * Backdrops: white, light grey and plain colours (dark ones too, so products can be lighter than the
 * background), with gradients, vignettes (quadratic and steeper), sensor noise and JPEG at several
 * qualities. Products: bottles, pumps with thin nozzles, wine bottles, boxes, jars, shoes, tubes, brushes
 * with handles a few pixels wide, cans, spray bottles; white labels and white caps (some running off the
 * top edge of a white photo). Standing products get a soft contact shadow, which counts as background.
 */

const BACKDROPS = {
  white: [252, 252, 252],
  pureWhite: [255, 255, 255],
  warmWhite: [247, 245, 240],
  lightGrey: [226, 227, 229],
  grey: [205, 206, 208],
  blue: [188, 212, 234],
  beige: [232, 219, 198],
  mint: [198, 230, 214],
  pink: [240, 204, 210],
  yellow: [244, 212, 92],
  teal: [44, 132, 142],
  charcoal: [48, 50, 54],
} satisfies Record<string, Rgb>;

type BackdropName = keyof typeof BACKDROPS;

const PRODUCT_COLOURS: Rgb[] = [
  [24, 38, 78], // navy
  [20, 20, 22], // black
  [112, 62, 30], // brown / amber glass
  [30, 90, 50], // bottle green
  [190, 30, 40], // red
  [30, 140, 140], // teal
  [230, 120, 30], // orange
  [120, 60, 140], // purple
  [200, 180, 150], // kraft
  [240, 236, 226], // cream
  [160, 162, 168], // silver
  [246, 246, 246], // white
];

const SIZES: Array<[number, number]> = [
  [480, 640],
  [640, 640],
  [800, 600],
  [900, 900],
  [1000, 800],
  [1200, 900],
  [1024, 1365],
  [1280, 1280],
  [1600, 1200],
  [1200, 1600],
  [1414, 1414],
];

function distance(a: Rgb, b: Rgb) {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** A soft floor shadow plus a darker, tighter contact core under a standing product's base. */
function contactShadow(x: number, y: number, baseWidth: number, depth = 1): SoftShadow[] {
  return [
    { x, y, rx: 0.62 * baseWidth, ry: Math.max(8, 0.07 * baseWidth), depth: 0.22 * depth },
    // Soft even under a narrow base: a core a pixel or two high would be a hard contact line.
    { x, y, rx: 0.46 * baseWidth, ry: Math.max(4, 0.024 * baseWidth), depth: 0.16 * depth },
  ];
}

type Frame = { width: number; height: number };

type Kind = "bottle" | "pump" | "wine" | "box" | "jar" | "shoe" | "tube" | "brush" | "can" | "spray";

type Look = { colour: Rgb; second: Rgb; label?: { colour: Rgb; text?: Rgb; fullWidth?: boolean } };

/** A product of `kind` standing in the frame: its base at `bottom`, `size` a share of the frame height. */
function standing(
  kind: Kind,
  frame: Frame,
  look: Look,
  at: { cx: number; bottom: number; size: number; rotation?: number },
): { product: Product; baseWidth: number } {
  const h = frame.height * at.size;
  const { cx, bottom, rotation } = at;
  switch (kind) {
    case "bottle":
      return {
        product: bottle({
          cx,
          bottom,
          height: h,
          width: 0.36 * h,
          colour: look.colour,
          cap: look.second,
          label: look.label,
          rotation,
        }),
        baseWidth: 0.36 * h,
      };
    case "pump":
      return {
        product: bottle({
          cx,
          bottom,
          height: h,
          width: 0.34 * h,
          colour: look.colour,
          cap: look.second,
          label: look.label,
          pump: true,
          rotation,
        }),
        baseWidth: 0.34 * h,
      };
    case "wine":
      return {
        product: bottle({
          cx,
          bottom,
          height: h,
          width: 0.24 * h,
          colour: look.colour,
          cap: look.second,
          label: look.label,
          neck: 0.3,
          rotation,
        }),
        baseWidth: 0.24 * h,
      };
    case "box": {
      const width = Math.min(0.75 * h, frame.width * 0.7);
      return {
        product: box({
          x: cx - width / 2,
          bottom,
          width,
          height: h,
          depth: 0.22,
          colour: look.colour,
          label: look.label,
          rotation,
        }),
        baseWidth: width,
      };
    }
    case "jar": {
      const width = Math.min(0.95 * h, frame.width * 0.7);
      return {
        product: jar({
          cx,
          bottom,
          width,
          height: h * 0.8,
          colour: look.colour,
          lid: look.second,
          label: look.label,
        }),
        baseWidth: width,
      };
    }
    case "shoe": {
      const length = Math.min(frame.width * 0.8, h * 2.1);
      return {
        product: shoe({
          cx,
          bottom,
          length,
          upper: look.colour,
          sole: look.second,
          laces: [235, 235, 235],
          rotation,
        }),
        baseWidth: length,
      };
    }
    case "tube":
      return {
        product: tube({
          cx,
          bottom,
          width: 0.3 * h,
          height: h,
          colour: look.colour,
          cap: look.second,
          rotation,
        }),
        baseWidth: 0.13 * h,
      };
    case "brush": {
      const length = Math.min(frame.width, frame.height) * 0.9;
      return {
        product: brush({
          cx,
          cy: bottom - h / 2,
          length,
          handle: look.colour,
          bristles: look.second,
          thickness: Math.max(4, length * 0.012),
          rotation: rotation ?? -28,
        }),
        baseWidth: 0,
      };
    }
    case "can":
      return {
        product: can({ cx, bottom, width: 0.55 * h, height: h, colour: look.colour, label: look.label }),
        baseWidth: 0.55 * h,
      };
    case "spray":
      return {
        product: spray({ cx, bottom, width: 0.4 * h, height: h, colour: look.colour, head: look.second }),
        baseWidth: 0.4 * h,
      };
  }
}

type Effects = {
  gradient?: Backdrop["gradient"];
  vignette?: Backdrop["vignette"];
  noise?: number;
  jpeg?: number;
  shadow?: boolean;
};

function photo(
  name: string,
  size: [number, number],
  backdrop: BackdropName,
  kind: Kind,
  look: Look,
  at: { cx?: number; bottom?: number; size: number; rotation?: number },
  effects: Effects,
  tags: string[] = [],
): PhotoSpec {
  const [width, height] = size;
  const frame = { width, height };
  const cx = (at.cx ?? 0.5) * width;
  const bottom = (at.bottom ?? 0.88) * height;
  const { product, baseWidth } = standing(kind, frame, look, {
    cx,
    bottom,
    size: at.size,
    rotation: at.rotation,
  });
  const shadows = effects.shadow && baseWidth > 0 ? contactShadow(cx, bottom, baseWidth) : [];
  return {
    name,
    width,
    height,
    backdrop: { colour: BACKDROPS[backdrop], gradient: effects.gradient, vignette: effects.vignette },
    product,
    shadows,
    noise: effects.noise,
    jpeg: effects.jpeg,
    tags: [
      kind,
      backdrop,
      ...(shadows.length ? ["shadow"] : []),
      ...(effects.jpeg ? [`jpeg${effects.jpeg}`] : ["png"]),
      ...tags,
    ],
  };
}

const WHITE_LABEL = { colour: WHITE, text: [40, 40, 48] as Rgb };

/** Hand-made cases: every hard situation the set must contain at least once. */
function designedPhotos(): PhotoSpec[] {
  const g = (angle: number, amount: number) => ({ angle, amount });
  const v = (amount: number, power = 2) => ({ amount, power });
  return [
    photo(
      "bottle-navy-white-label",
      [800, 600],
      "white",
      "bottle",
      { colour: [24, 38, 78], second: [20, 20, 22], label: WHITE_LABEL },
      { size: 0.75 },
      { gradient: g(90, 0.06), shadow: true, noise: 1 },
      ["white-label"],
    ),
    photo(
      "bottle-white-cap-off-top",
      [1000, 800],
      "white",
      "bottle",
      { colour: [30, 90, 50], second: WHITE, label: WHITE_LABEL },
      { size: 0.98, bottom: 0.92 },
      { gradient: g(60, 0.05), shadow: true, jpeg: 85 },
      ["white-cap", "white-label", "touches-edge"],
    ),
    photo(
      "bottle-white-cap-off-top-grey",
      [1200, 1600],
      "lightGrey",
      "bottle",
      { colour: [112, 62, 30], second: WHITE },
      { size: 0.97, bottom: 0.9 },
      { vignette: v(0.14), shadow: true, jpeg: 75, noise: 1 },
      ["white-cap", "touches-edge"],
    ),
    photo(
      "bottle-red-full-white-label",
      [900, 900],
      "white",
      "bottle",
      { colour: [190, 30, 40], second: [20, 20, 22], label: { ...WHITE_LABEL, fullWidth: true } },
      { size: 0.8 },
      { shadow: true, noise: 2 },
      ["white-label"],
    ),
    photo(
      "pump-thin-nozzle",
      [1280, 1280],
      "white",
      "pump",
      { colour: [30, 140, 140], second: [60, 60, 64], label: WHITE_LABEL },
      { size: 0.78 },
      { shadow: true, jpeg: 90 },
      ["thin", "white-label"],
    ),
    photo(
      "wine-long-neck",
      [1024, 1365],
      "white",
      "wine",
      { colour: [30, 70, 40], second: [110, 20, 30], label: { colour: [242, 238, 228], text: [20, 20, 20] } },
      { size: 0.82 },
      { vignette: v(0.2, 3), jpeg: 80, shadow: true },
      ["vignette"],
    ),
    photo(
      "box-kraft",
      [1600, 1200],
      "white",
      "box",
      { colour: [200, 180, 150], second: WHITE, label: WHITE_LABEL },
      { size: 0.62 },
      { shadow: true },
      ["white-label"],
    ),
    photo(
      "box-blue-tilted-beige",
      [1000, 800],
      "beige",
      "box",
      { colour: [40, 80, 160], second: WHITE, label: WHITE_LABEL },
      { size: 0.6, rotation: -8 },
      { jpeg: 75, gradient: g(0, 0.08) },
      ["white-label"],
    ),
    photo(
      "box-white-on-grey",
      [1000, 800],
      "grey",
      "box",
      { colour: [252, 252, 252], second: WHITE },
      { size: 0.62 },
      { noise: 2, shadow: true },
      ["lighter"],
    ),
    photo(
      "bottle-white-cap-off-top-q75",
      [1024, 1365],
      "pureWhite",
      "bottle",
      { colour: [24, 38, 78], second: WHITE, label: { colour: [190, 30, 40], text: WHITE } },
      { size: 1.0, bottom: 0.93 },
      { jpeg: 75, vignette: v(0.1), shadow: true, noise: 1 },
      ["white-cap", "touches-edge"],
    ),
    photo(
      "jar-white-lid-off-top",
      [1200, 900],
      "white",
      "jar",
      { colour: [112, 62, 30], second: WHITE, label: WHITE_LABEL },
      { size: 1.2, bottom: 0.9 },
      { jpeg: 85, shadow: true, gradient: g(120, 0.05) },
      ["white-cap", "white-label", "touches-edge"],
    ),
    photo(
      "jar-amber-mint",
      [800, 600],
      "mint",
      "jar",
      { colour: [150, 80, 30], second: [200, 170, 60] },
      { size: 0.6 },
      { shadow: true },
    ),
    photo(
      "shoe-dark-white",
      [1600, 1200],
      "white",
      "shoe",
      { colour: [30, 32, 40], second: [225, 225, 222] },
      { size: 0.4, bottom: 0.8 },
      { jpeg: 85, shadow: true },
    ),
    photo(
      "shoe-white-on-grey",
      [1414, 1414],
      "grey",
      "shoe",
      { colour: [246, 246, 246], second: [150, 150, 154] },
      { size: 0.35, bottom: 0.75 },
      { noise: 2, shadow: true },
      ["lighter"],
    ),
    photo(
      "shoe-red-pink-q60",
      [900, 900],
      "pink",
      "shoe",
      { colour: [170, 20, 30], second: [245, 245, 245] },
      { size: 0.35, bottom: 0.78 },
      { jpeg: 60, shadow: true },
    ),
    photo(
      "tube-white-on-blue",
      [640, 640],
      "blue",
      "tube",
      { colour: [248, 248, 248], second: [200, 40, 90] },
      { size: 0.75, rotation: 12 },
      { jpeg: 75 },
      ["lighter"],
    ),
    photo(
      "tube-teal-white-cap",
      [800, 600],
      "white",
      "tube",
      { colour: [30, 140, 140], second: WHITE },
      { size: 0.8, bottom: 0.93 },
      { shadow: true, noise: 1 },
      ["white-cap"],
    ),
    photo(
      "brush-thin-white",
      [1200, 900],
      "white",
      "brush",
      { colour: [150, 40, 30], second: [40, 30, 25] },
      { size: 0.5, bottom: 0.75 },
      {},
      ["thin"],
    ),
    photo(
      "brush-thin-beige-q90",
      [1600, 1200],
      "beige",
      "brush",
      { colour: [20, 20, 22], second: [200, 160, 120] },
      { size: 0.5, bottom: 0.75, rotation: 20 },
      { jpeg: 90 },
      ["thin"],
    ),
    photo(
      "can-red-white-label",
      [800, 600],
      "white",
      "can",
      { colour: [190, 30, 40], second: WHITE, label: { ...WHITE_LABEL, fullWidth: true } },
      { size: 0.7 },
      { jpeg: 85, shadow: true },
      ["white-label"],
    ),
    photo(
      "can-yellow",
      [640, 640],
      "yellow",
      "can",
      { colour: [24, 38, 78], second: WHITE, label: { colour: [250, 250, 250], text: [190, 30, 40] } },
      { size: 0.65 },
      {},
      ["white-label"],
    ),
    photo(
      "spray-white",
      [1024, 1365],
      "white",
      "spray",
      { colour: [120, 60, 140], second: [30, 30, 32] },
      { size: 0.75 },
      { jpeg: 85, shadow: true },
      ["thin"],
    ),
    photo(
      "spray-grey-noisy",
      [1280, 1280],
      "grey",
      "spray",
      { colour: [230, 120, 30], second: [246, 246, 246] },
      { size: 0.7 },
      { noise: 3, shadow: true },
    ),
    photo(
      "bottle-white-on-charcoal",
      [1200, 900],
      "charcoal",
      "bottle",
      {
        colour: [240, 240, 240],
        second: [200, 30, 40],
        label: { colour: [30, 140, 140], text: [250, 250, 250] },
      },
      { size: 0.8 },
      { jpeg: 85, vignette: v(0.2) },
      ["lighter"],
    ),
    photo(
      "jar-white-lid-on-teal",
      [900, 900],
      "teal",
      "jar",
      { colour: [240, 236, 226], second: WHITE },
      { size: 0.55 },
      { shadow: true, gradient: g(90, 0.12) },
      ["lighter"],
    ),
  ];
}

/** Further photos drawn from a fixed seed: every kind on every sort of backdrop. */
function drawnPhotos(count: number): PhotoSpec[] {
  const random = randomSource(20_251_1);
  const kinds: Kind[] = ["bottle", "pump", "wine", "box", "jar", "shoe", "tube", "brush", "can", "spray"];
  const backdrops = Object.keys(BACKDROPS) as BackdropName[];
  const specs: PhotoSpec[] = [];
  for (let i = 0; i < count; i++) {
    const kind = kinds[i % kinds.length]!;
    const backdrop = backdrops[(i * 7 + 3) % backdrops.length]!;
    const bg = BACKDROPS[backdrop];
    let colour = random.pick(PRODUCT_COLOURS);
    while (distance(colour, bg) < 70) colour = random.pick(PRODUCT_COLOURS);
    let second = random.pick(PRODUCT_COLOURS);
    while (distance(second, bg) < 50) second = random.pick(PRODUCT_COLOURS);
    const label =
      random.next() < 0.5
        ? { colour: random.pick(PRODUCT_COLOURS), text: random.pick(PRODUCT_COLOURS) }
        : undefined;
    const size = SIZES[(i * 5 + 1) % SIZES.length]!;
    const cropped = i % 9 === 4;
    const effects: Effects = {
      gradient:
        random.next() < 0.6
          ? { angle: random.between(0, 360), amount: random.between(0.04, 0.14) }
          : undefined,
      vignette:
        random.next() < 0.5
          ? { amount: random.between(0.06, 0.24), power: random.pick([2, 2.5, 3]) }
          : undefined,
      noise: random.pick([0, 1, 2, 3]),
      jpeg: random.pick([undefined, 95, 85, 75, 60]),
      shadow: !cropped && kind !== "brush" && random.next() < 0.75,
    };
    const at = {
      cx: random.between(0.42, 0.58),
      bottom: cropped ? 1.06 : random.between(0.82, 0.92),
      size: kind === "shoe" ? random.between(0.3, 0.4) : random.between(0.55, 0.75),
      rotation: kind === "box" || kind === "tube" || kind === "brush" ? random.between(-15, 15) : undefined,
    };
    specs.push(
      photo(
        `drawn-${String(i).padStart(2, "0")}-${kind}-${backdrop}`,
        size,
        backdrop,
        kind,
        { colour, second, label },
        at,
        effects,
        cropped ? ["touches-edge"] : [],
      ),
    );
  }
  return specs;
}

export function productPhotoSet(): PhotoSpec[] {
  return [...designedPhotos(), ...drawnPhotos(23)];
}
