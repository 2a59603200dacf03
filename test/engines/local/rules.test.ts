/**
 * One set of rules: the local engine refuses exactly the bodies the shared rules (and so the composer
 * and the generations API) refuse, on the same field, with the same code and message.
 */
import { beforeAll, describe, expect, it } from "vitest";

import { renderableRequest } from "@/lib/scene/contract";
import { ApiError } from "@/lib/server/errors";

import { testConfig } from "../../support/config";
import { productPng } from "./fixtures";
import { render, storeImage } from "./harness";

const config = testConfig();
let product = "";

beforeAll(async () => {
  product = (
    await storeImage(
      config,
      await productPng({
        width: 120,
        height: 80,
        box: { x: 20, y: 20, width: 80, height: 40 },
        colour: { r: 200, g: 20, b: 20 },
      }),
    )
  ).url;
});

async function engineVerdict(body: unknown) {
  try {
    await render(config, body);
    return "rendered";
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { status: error.status, code: error.code, message: error.message, details: error.details };
  }
}

const CASES: [string, Record<string, unknown>, unknown][] = [
  ["a colour word in a prompt scene", { prompt: "on oak", color: "red" }, undefined],
  ["a colour word in a shadow scene", { effect: "shadows", color: "crimson" }, undefined],
  ["transparent in a prompt scene", { prompt: "on oak", color: "transparent" }, undefined],
  ["transparent as JPEG", { effect: "shadows", color: "transparent" }, { format: "jpeg" }],
  ["transparent as TIFF", { effect: "shadows", color: "transparent" }, { format: "tiff" }],
  ["transparent as WebP", { effect: "shadows", color: "transparent" }, { format: "webp" }],
  ["a short hex colour", { effect: "shadows", color: "#abc" }, { format: "jpeg" }],
];

describe("the local engine and the shared rules agree", () => {
  it.each(CASES)("%s", async (_name, scene, output) => {
    const body = {
      object: { image_url: product },
      scene,
      output: { number_of_images: 1, ...(output ?? {}) },
    };
    const judged = renderableRequest.safeParse(body);
    const verdict = await engineVerdict(body);
    if (judged.success) {
      expect(verdict).toBe("rendered");
      return;
    }
    const first = judged.error.issues[0]!;
    expect(verdict).toMatchObject({
      status: 422,
      code: (first as { params?: { code?: string } }).params?.code,
      message: first.message,
      details: { fields: { [first.path.join(".")]: [first.message] } },
    });
  });
});
