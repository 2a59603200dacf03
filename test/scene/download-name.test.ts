// Download names a person recognises: the scene's words, the ratio and the image's number.
import { describe, expect, it } from "vitest";

import { sceneCreateRequest } from "@/lib/scene/contract";
import {
  attachmentDisposition,
  generationFolderName,
  nameWords,
  outputFileStem,
} from "@/lib/scene/download-name";

const object = { image_url: "https://images.example.com/product.png" };
const request = (scene: Record<string, unknown>) => sceneCreateRequest.parse({ object, scene });

describe("download names", () => {
  it("take the prompt's first words, the ratio and the image's number", () => {
    const prompt = request({
      prompt: "Marble counter, morning light; warm tones and soft shadows",
      aspect_ratio: "16:9",
    });
    expect(outputFileStem(prompt, 0)).toBe("marble-counter-morning-light-warm-tones-16x9-1");
    expect(outputFileStem(prompt, 3)).toBe("marble-counter-morning-light-warm-tones-16x9-4");
    expect(outputFileStem(request({ prompt: "oak shelf" }), 1)).toBe("oak-shelf-1x1-2");
  });

  it("say what other scenes are: an effect and its colour, a template, a prompt made from the image", () => {
    expect(outputFileStem(request({ effect: "shadows", color: "#FFFFFF", aspect_ratio: "4:5" }), 0)).toBe(
      "shadows-ffffff-4x5-1",
    );
    expect(
      outputFileStem(
        request({ template_url: "https://images.example.com/t.png", template_mode: "lock", view: "front" }),
        0,
      ),
    ).toBe("template-1");
    expect(outputFileStem(request({ prompt: { generate: true } }), 0)).toBe("auto-prompt-1x1-1");
  });

  it("name an image edit after what it did: a cutout when it removed the background, else an edit", () => {
    const input = "backdrop://files/abc.jpg";
    expect(outputFileStem({ input, operations: { background: { remove: true } } }, 0)).toBe("cutout-1");
    expect(outputFileStem({ input, operations: { padding: "10%" } }, 0)).toBe("edit-1");
    expect(generationFolderName({ input }, "0f3c9a1e-2b4d")).toBe("edit-0f3c9a1e");
  });

  it("keep letters of any script, drop accents and anything a file name cannot hold", () => {
    expect(nameWords("Café crème — «naturel» / 茶室 ../../etc")).toBe("cafe-creme-naturel-茶室-etc");
    expect(nameWords("!!!")).toBe("");
    expect(outputFileStem(request({ prompt: "!!!" }), 0)).toBe("backdrop-1x1-1");
    expect(nameWords("a".repeat(100))).toHaveLength(60);
  });

  it("name a zip folder after the generation's words and the start of its id", () => {
    const id = "0f3c9a1e-2b4d-4c6e-8f00-123456789abc";
    expect(generationFolderName(request({ prompt: "oak shelf", aspect_ratio: "3:2" }), id)).toBe(
      "oak-shelf-3x2-0f3c9a1e",
    );
  });

  it("make a Content-Disposition no query string can break", () => {
    expect(attachmentDisposition("oak-shelf-1x1-2", "png")).toBe(
      'attachment; filename="oak-shelf-1x1-2.png"',
    );
    expect(attachmentDisposition('x"; filename="evil.exe', "png")).toBe(
      'attachment; filename="x-filename-evil-exe.png"',
    );
    expect(attachmentDisposition("thé-1x1-1", "webp")).toBe(`attachment; filename="the-1x1-1.webp"`);
    expect(attachmentDisposition("茶-1x1-1", "webp")).toBe(
      `attachment; filename="1x1-1.webp"; filename*=UTF-8''${encodeURIComponent("茶-1x1-1.webp")}`,
    );
  });
});
