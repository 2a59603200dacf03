/**
 * Generators of scene/create bodies: valid ones, and near-valid ones (values at and past each bound,
 * wrong enums, extra keys, wrong kinds, keys of one scene kind mixed into another).
 */
import fc from "fast-check";

import { ASPECT_RATIOS } from "@/lib/scene/aspect-ratios";

type Json = unknown;

/** Whether the generators being built add near-valid and wrong values (set while building each family). */
let noisy = true;

/** Mostly the valid value, sometimes something near or plainly wrong. */
function nearly<T>(valid: fc.Arbitrary<T>, ...wrong: fc.Arbitrary<Json>[]): fc.Arbitrary<Json> {
  if (!noisy) return valid as fc.Arbitrary<Json>;
  return fc.oneof(
    { weight: 6, arbitrary: valid as fc.Arbitrary<Json> },
    ...wrong.map((arbitrary) => ({ weight: 1, arbitrary })),
  );
}

function buildBodies(): fc.Arbitrary<Json> {
  const wrongKind = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.constant("x"),
    fc.constant([]),
    fc.constant({}),
  );

  const validUri = fc.oneof(
    fc.webUrl({ withQueryParameters: true }),
    fc.constantFrom(
      "https://images.claid.ai/photoshoot-templates/docs/product.png",
      "storage://storage-name/path/image.png",
      "backdrop://files/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.png",
      "s3://bucket/key.png",
    ),
  );
  const badUri = fc.constantFrom(
    "",
    "not a uri",
    "/relative/path.png",
    "http//missing-colon",
    "https://exa mple.com/a",
    "a".repeat(4097),
  );
  const uri = nearly(validUri, badUri, wrongKind);

  /** Strings whose length in code points sits around [min, max], with astral characters mixed in. */
  function text(min: number, max: number) {
    const unit = fc.oneof(
      fc.constantFrom("a", "é", " ", "😀", "𝄞"),
      fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }),
    );
    const ofLength = (n: number) => fc.array(unit, { minLength: n, maxLength: n }).map((u) => u.join(""));
    return nearly(
      fc.oneof(
        ofLength(min),
        ofLength(Math.min(max, min + 20)),
        fc.string({ minLength: min, maxLength: Math.min(max, 60) }),
      ),
      ofLength(Math.max(0, min - 1)),
      ofLength(max + 1),
      wrongKind,
    );
  }

  function bounded(min: number, max: number, { integer = false } = {}) {
    const valid = integer
      ? fc.integer({ min, max })
      : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    return nearly(
      valid,
      fc.constantFrom(min - 1, max + 1, min - 0.001, max + 0.001, min + 0.5),
      fc.double({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true }),
      wrongKind,
    );
  }

  /** Optional keys: each present or not, plus sometimes an extra unknown key. */
  function record(fields: Record<string, fc.Arbitrary<Json>>, required: string[] = []) {
    if (!noisy) return fc.record(fields, { requiredKeys: required }) as fc.Arbitrary<Record<string, Json>>;
    return fc
      .tuple(
        fc.record(fields, { requiredKeys: required }),
        fc.oneof(
          { weight: 8, arbitrary: fc.constant(undefined) },
          { weight: 1, arbitrary: fc.constantFrom("extra", "Image_URL", "colour") },
        ),
        fc.oneof(
          { weight: 12, arbitrary: fc.constant(undefined) },
          { weight: 1, arbitrary: fc.constantFrom(...(required.length ? required : ["_"])) },
        ),
      )
      .map(([value, extra, missing]) => {
        const out: Record<string, Json> = { ...value };
        if (extra) out[extra] = 1;
        if (missing) delete out[missing];
        return out;
      });
  }

  const enumOf = (values: readonly string[], wrong: string[] = []) =>
    nearly(fc.constantFrom(...values), fc.constantFrom("", "PNG", "other", ...wrong), wrongKind);

  const aspectRatio = enumOf(ASPECT_RATIOS, ["2:1", "1:2", "16:10"]);
  const model = enumOf(["v1", "v2-beta", "v2"], ["v3"]);

  const promptAdvanced = record({
    text: text(3, 2048),
    generate: nearly(fc.boolean(), wrongKind),
    guidelines: text(3, 1000),
  });
  const prompt = fc.oneof(text(3, 2048), promptAdvanced);

  const position = record({ x: bounded(0, 1), y: bounded(0, 1) });
  const scale = nearly(
    fc.oneof(fc.double({ min: 0.01, max: 1, noNaN: true }), fc.constantFrom(0, 1, 0.01)),
    fc.constantFrom(0.005, 0.0099, -0, 1.5, 2, -1),
    wrongKind,
  );

  const objectAbsolute = record(
    {
      image_url: uri,
      placement_type: enumOf(["absolute"], ["original", "padding"]),
      rotation_degree: bounded(0, 360),
      scale,
      position: nearly(position, wrongKind),
    },
    ["image_url"],
  );
  const objectOriginal = record({ image_url: uri, placement_type: fc.constant("original") }, [
    "image_url",
    "placement_type",
  ]);
  const padding = nearly(
    fc.oneof(
      fc.integer({ min: 0, max: 50 }).map((n) => `${n}%`),
      fc
        .tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 }))
        .map(([v, h]) => `${v}% ${h}%`),
      fc.integer({ min: 0, max: 400 }).map((n) => `${n}px`),
      fc.integer({ min: 0, max: 50 }).map(String),
    ),
    fc.constantFrom("60%", "51% 10%", "ten", "", "10% 10% 10%", "-5%", "10 %"),
    wrongKind,
  );
  const objectPadding = record({ image_url: uri, placement_type: fc.constant("padding"), padding }, [
    "image_url",
    "placement_type",
    "padding",
  ]);

  const color = nearly(fc.constantFrom("#ffffff", "#000000", "#aece8c", "transparent", "red"), wrongKind);

  const sceneEffect = record(
    {
      model,
      effect: enumOf(["shadows"], ["shadow", "reflections"]),
      color,
      view: enumOf(["auto", "top", "front"]),
      aspect_ratio: aspectRatio,
    },
    ["effect"],
  );
  const scenePrompt = record(
    {
      model,
      prompt,
      negative_prompt: text(3, 2048),
      steps: bounded(1, 49, { integer: true }),
      color,
      aspect_ratio: aspectRatio,
      preference: enumOf(["fast", "optimal", "best"]),
    },
    ["prompt"],
  );
  const sceneTemplate = record(
    {
      model,
      template_mode: enumOf(["transform", "lock", "adjust"]),
      template_url: uri,
      color,
      view: enumOf(["top", "front"], ["auto"]),
      prompt,
      negative_prompt: text(3, 2048),
      steps: bounded(1, 49, { integer: true }),
    },
    ["template_url", "view"],
  );
  /** Keys of two scene kinds in one object. */
  const sceneMixed = fc
    .tuple(
      fc.oneof(sceneEffect, scenePrompt, sceneTemplate),
      fc.oneof(sceneEffect, scenePrompt, sceneTemplate),
    )
    .map(([a, b]) => ({ ...(a as object), ...(b as object) }));

  const quality = bounded(1, 100, { integer: true });
  const compression = fc.oneof(
    enumOf(["lossy", "lossless"]),
    record({ type: fc.constant("lossy"), quality }, ["type"]),
    record({ type: fc.constant("lossless") }, ["type"]),
  );
  const format = fc.oneof(
    enumOf(["jpeg", "png", "webp", "avif", "tiff"], ["jpg", "gif"]),
    record({ type: enumOf(["jpeg"]), quality, progressive: nearly(fc.boolean(), wrongKind) }, ["type"]),
    record({ type: enumOf(["png"]), compression: enumOf(["fast", "optimal", "best"]) }, ["type"]),
    record({ type: enumOf(["webp"]), compression }, ["type"]),
    record({ type: enumOf(["avif"]), compression }, ["type"]),
  );
  const output = fc.oneof(
    record({ number_of_images: bounded(1, 4, { integer: true }), destination: uri, format }),
    uri,
  );

  return record(
    {
      output: nearly(output, wrongKind),
      object: nearly(fc.oneof(objectAbsolute, objectOriginal, objectPadding), wrongKind),
      scene: nearly(
        fc.oneof(
          { weight: 3, arbitrary: fc.oneof(sceneEffect, scenePrompt, sceneTemplate) },
          { weight: 1, arbitrary: sceneMixed },
        ),
        wrongKind,
      ),
    },
    ["object", "scene"],
  );
}

noisy = false;
const validBodies = buildBodies();
noisy = true;
const nearValidBodies = buildBodies();

const WRONG_VALUES: Json[] = [
  null,
  true,
  -1,
  0,
  0.005,
  1.0001,
  360.5,
  50,
  100,
  101,
  "",
  "x",
  "transparent",
  [],
  {},
];

type Mutation = { at: number; kind: "replace" | "extra" | "delete"; value: Json };

/** Every object/array position in a body, as the container and the key within it. */
function slots(value: Json, out: [Record<string, Json>, string][] = []): [Record<string, Json>, string][] {
  if (typeof value === "object" && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      out.push([value as Record<string, Json>, key]);
      slots(child, out);
    }
  }
  return out;
}

/** A valid body with exactly one thing wrong: a value replaced, an unknown key added, or a key removed. */
function mutate(body: Json, mutation: Mutation): Json {
  const copy = structuredClone(body);
  const all = slots(copy);
  const slot = all[mutation.at % Math.max(1, all.length)];
  if (!slot) return copy;
  const [container, key] = slot;
  if (mutation.kind === "delete") delete container[key];
  else if (mutation.kind === "extra") {
    const child = container[key];
    if (typeof child === "object" && child !== null && !Array.isArray(child))
      (child as Record<string, Json>).unexpected = 1;
    else container.unexpected = 1;
  } else container[key] = mutation.value;
  return copy;
}

const singleMutations = fc
  .tuple(
    validBodies,
    fc.record({
      at: fc.nat(),
      kind: fc.constantFrom("replace", "extra", "delete"),
      value: fc.constantFrom(...WRONG_VALUES),
    }),
  )
  .map(([body, mutation]) => mutate(body, mutation as Mutation));

/** Bodies on the wire: valid ones, valid ones with one thing wrong, and ones with several things off. */
export const sceneCreateBody = fc
  .oneof(validBodies, singleMutations, nearValidBodies)
  .map((body) => JSON.parse(JSON.stringify(body)) as Json);
