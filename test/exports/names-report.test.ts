import { describe, expect, it } from "vitest";

import { sceneCreateRequest } from "@/lib/scene/contract";
import type { ExportFile } from "@/lib/scene/export";
import { planFiles } from "@/lib/server/exports/export";
import { numbered, stemsOf } from "@/lib/server/exports/names";
import { reportCsv } from "@/lib/server/exports/report";
import type { StoredOutput } from "@/lib/server/generations";

function output(
  id: string,
  body: Record<string, unknown>,
  size = { width: 1024, height: 1024 },
): StoredOutput {
  return {
    outputId: id,
    generationId: `g-${id}`,
    index: 0,
    fileKey: `${id}.png`,
    ...size,
    request: sceneCreateRequest.parse({ output: { number_of_images: 1 }, ...body }),
    integrity: null,
  };
}

const stored = (n: number) => `backdrop://files/${String(n).repeat(64)}.png`;

describe("file names", () => {
  it("are <product>-<scene>-<ratio>, from the product's file name, the prompt's first words and the frame", () => {
    const stems = stemsOf([
      output("a", {
        object: { image_url: "https://cdn.example.com/shop/Amber%20Bottle%20500ml.png?v=3" },
        scene: { prompt: "On a marble countertop, beige wall, morning light", aspect_ratio: "4:5" },
      }),
      output("b", {
        object: { image_url: "https://cdn.example.com/jar.webp" },
        scene: { effect: "shadows", color: "#FFFFFF" },
      }),
      output(
        "c",
        {
          object: { image_url: "https://cdn.example.com/jar.webp" },
          scene: { template_url: "https://cdn.example.com/room.jpg", view: "front", template_mode: "lock" },
        },
        { width: 1280, height: 800 },
      ),
    ]);
    expect(stems.get("a")).toBe("amber-bottle-500ml-on-a-marble-countertop-beige-wall-4x5");
    expect(stems.get("b")).toBe("jar-shadows-ffffff-1x1");
    expect(stems.get("c")).toBe("jar-template-lock-8x5");
  });

  it("call products stored here `product`, or number them when there are several", () => {
    const one = stemsOf([
      output("a", { object: { image_url: stored(1) }, scene: { effect: "shadows" } }),
      output("b", { object: { image_url: stored(1) }, scene: { effect: "shadows", aspect_ratio: "9:16" } }),
    ]);
    expect([...one.values()]).toEqual(["product-shadows-ffffff-1x1", "product-shadows-ffffff-9x16"]);
    const two = stemsOf([
      output("a", { object: { image_url: stored(1) }, scene: { effect: "shadows" } }),
      output("b", { object: { image_url: stored(2) }, scene: { effect: "shadows" } }),
      output("c", { object: { image_url: stored(1) }, scene: { effect: "shadows" } }),
    ]);
    expect([...two.values()]).toEqual([
      "product-1-shadows-ffffff-1x1",
      "product-2-shadows-ffffff-1x1",
      "product-1-shadows-ffffff-1x1",
    ]);
  });

  it("are numbered per folder, so every file of a preset has a name of its own", () => {
    const name = numbered();
    expect(["x", "x", "y", "x"].map(name)).toEqual(["x-1", "x-2", "y-1", "x-3"]);
  });

  it("put each preset in its folder, with the preset's extension", () => {
    const sources = [
      output("a", { object: { image_url: stored(1) }, scene: { effect: "shadows" } }),
      output("b", { object: { image_url: stored(1) }, scene: { effect: "shadows" } }),
    ];
    const files = planFiles(sources, [
      "amazon-main",
      "instagram-portrait",
      "amazon-main",
      { preset: "custom", width: 800, height: 600, format: "png", background: "transparent", fit: "contain" },
    ]);
    expect(files.map((f) => f.name)).toEqual([
      "amazon-main/product-shadows-ffffff-1x1-1.jpg",
      "amazon-main/product-shadows-ffffff-1x1-2.jpg",
      "instagram-portrait/product-shadows-ffffff-1x1-1.jpg",
      "instagram-portrait/product-shadows-ffffff-1x1-2.jpg",
      "custom-800x600-contain-png/product-shadows-ffffff-1x1-1.png",
      "custom-800x600-contain-png/product-shadows-ffffff-1x1-2.png",
    ]);
  });
});

describe("report.csv", () => {
  const file = (over: Partial<ExportFile>): ExportFile => ({
    output_id: "o-1",
    generation_id: "g-1",
    preset: "amazon-main",
    name: "amazon-main/product-shadows-ffffff-1x1-1.jpg",
    width: 1600,
    height: 1600,
    format: "jpeg",
    enlarged: 1.56,
    integrity: "intact",
    checks: [
      {
        id: "size",
        status: "warn",
        message: "1600 × 1600, enlarged 1.56× from the stored image: it may look soft.",
      },
      { id: "format", status: "pass", message: "JPEG, sRGB" },
      { id: "background", status: "pass", message: "Every border pixel is pure white (#FFFFFF)" },
    ],
    ok: true,
    ...over,
  });

  it("has a row per file with every check's status, and what the ones that did not pass say", () => {
    const csv = reportCsv([
      file({}),
      file({
        name: "instagram-story/=cmd-1.jpg",
        preset: "instagram-story",
        ok: false,
        enlarged: null,
        integrity: null,
        checks: [
          {
            id: "product_inside",
            status: "fail",
            message: 'The crop cuts off part of the product: use fit "contain"',
          },
        ],
      }),
    ]);
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe(
      "file,preset,output_id,generation_id,width,height,format,enlarged,integrity,ok,size,format,background,fill,main_image,product_inside,integrity,notes",
    );
    expect(lines[1]).toBe(
      "amazon-main/product-shadows-ffffff-1x1-1.jpg,amazon-main,o-1,g-1,1600,1600,jpeg,1.56,intact,true,warn,pass,pass,,,,," +
        '"size: 1600 × 1600, enlarged 1.56× from the stored image: it may look soft."',
    );
    // Quotes doubled; empty cells where a preset has no such check.
    expect(lines[2]).toBe(
      "instagram-story/=cmd-1.jpg,instagram-story,o-1,g-1,1600,1600,jpeg,,,false,,,,,,fail,," +
        '"product_inside: The crop cuts off part of the product: use fit ""contain"""',
    );
    expect(lines[3]).toBe("");
    expect(lines).toHaveLength(4);
  });

  it("keeps a leading = + - @ from being read as a formula", () => {
    const csv = reportCsv([file({ name: "=HYPERLINK(1)", checks: [] })]);
    expect(csv.split("\r\n")[1]?.startsWith("'=HYPERLINK(1),")).toBe(true);
  });
});
