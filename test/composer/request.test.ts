import fc from "fast-check";
import { describe, expect, test } from "vitest";

import { emptyDoc } from "@/lib/composer/doc";
import { buildRequest, docFromRequest } from "@/lib/composer/request";
import type { SceneCreateRequest } from "@/lib/scene/contract";
import { sceneCreateRequest } from "@/lib/scene/contract";

import { sceneCreateBody } from "../scene/contract/arbitraries";

/** Bodies the contract accepts, as it parses them. */
const validRequests = sceneCreateBody
  .map((body) => sceneCreateRequest.safeParse(body))
  .filter((parsed) => parsed.success)
  .map((parsed) => parsed.data as SceneCreateRequest);

describe("round trip", () => {
  test("any valid request loads and builds back to exactly itself", () => {
    fc.assert(
      fc.property(validRequests, (request) => {
        expect(buildRequest(docFromRequest(request))).toStrictEqual(request);
      }),
      { numRuns: 400 },
    );
  });

  test("the reference's own example round-trips, key for key", () => {
    const example: SceneCreateRequest = {
      output: { number_of_images: 4, format: "png" },
      object: {
        image_url: "storage://storage-name/path/image.png",
        placement_type: "absolute",
        rotation_degree: 0,
        scale: 1,
        position: { x: 0.5, y: 0.5 },
      },
      scene: {
        model: "v2",
        prompt: { generate: true, guidelines: "real life setting" },
        negative_prompt: "watermark, low quality",
        aspect_ratio: "4:5",
        preference: "optimal",
      },
    };
    expect(JSON.stringify(buildRequest(docFromRequest(example)))).toBe(JSON.stringify(example));
  });
});

describe("building", () => {
  test("the empty composer's body is invalid only for the missing product and the unwritten prompt", () => {
    const result = sceneCreateRequest.safeParse(buildRequest(emptyDoc()));
    expect(result.success).toBe(false);
    expect(new Set(result.error?.issues.map((i) => i.path.join(".")))).toEqual(
      new Set(["object.image_url", "scene.prompt"]),
    );
    expect(emptyDoc().scene.prompt).toBe("");
  });

  test("keys never hold undefined: the body is exactly what JSON shows", () => {
    const doc = { ...emptyDoc(), imageUrl: "https://example.com/p.png" };
    const body = buildRequest(doc);
    expect(JSON.parse(JSON.stringify(body))).toStrictEqual(body);
  });
});
