import { describe, expect, it } from "vitest";

import { emptyDoc } from "@/lib/composer/doc";
import { imageCheckErrors, imageChecksOf, imageReferences } from "@/lib/composer/image-checks";
import { heldImageUrl } from "@/lib/composer/images";
import { serialize } from "@/lib/composer/persist";
import { deserialize } from "@/lib/composer/restore";

import { PRODUCT_META, PRODUCT_URL, run, withProduct } from "./support";

const REMOTE_PRODUCT = "https://images.example.com/shoe.jpg";
const REMOTE_TEMPLATE = "https://images.example.com/room.jpg";

describe("image checks before Generate", () => {
  const doc = {
    ...emptyDoc(),
    imageUrl: REMOTE_PRODUCT,
    kind: "template" as const,
    scene: { template_url: REMOTE_TEMPLATE, view: "front" as const },
  };

  it("names every image of the request by its field, the template only in a template scene", () => {
    expect(imageReferences(doc)).toEqual([
      { field: "object.image_url", url: REMOTE_PRODUCT },
      { field: "scene.template_url", url: REMOTE_TEMPLATE },
    ]);
    expect(imageReferences({ ...doc, kind: "prompt" })).toEqual([
      { field: "object.image_url", url: REMOTE_PRODUCT },
    ]);
  });

  it("lists every failure at once with its field, and what is still loading", () => {
    const checks = imageChecksOf(
      imageReferences(doc),
      {},
      {
        [REMOTE_PRODUCT]: "The URL could not be fetched: 404",
        [REMOTE_TEMPLATE]: "The URL does not point to an image we accept",
      },
    );
    expect(checks.pending).toEqual([]);
    expect(checks.problems.map((p) => p.field)).toEqual(["object.image_url", "scene.template_url"]);
    expect(imageCheckErrors(checks)).toEqual({
      "object.image_url": "The URL could not be fetched: 404",
      "scene.template_url": "The URL does not point to an image we accept",
    });
    const loading = imageChecksOf(imageReferences(doc), {}, { [REMOTE_TEMPLATE]: "nope" });
    expect(loading.pending).toEqual([{ field: "object.image_url", url: REMOTE_PRODUCT }]);
  });

  it("has nothing to say once every image is known, and leaves storage:// references to the server", () => {
    const known = imageChecksOf(
      imageReferences(doc),
      { [REMOTE_PRODUCT]: PRODUCT_META, [REMOTE_TEMPLATE]: PRODUCT_META },
      {},
    );
    expect(known).toEqual({ pending: [], problems: [] });
    const storage = imageChecksOf([{ field: "object.image_url", url: "storage://bucket/a.png" }], {}, {});
    expect(storage).toEqual({ pending: [], problems: [] });
  });
});

describe("cutouts in the composer's state", () => {
  const cutout = {
    ...PRODUCT_META,
    src: "/api/files/cut.png",
    cutOutFrom: { url: PRODUCT_URL, src: PRODUCT_META.src, engine: "local" as const },
  };

  it("finds our own copy of an image: the reference itself, or the copy a remote image was imported as", () => {
    expect(heldImageUrl(PRODUCT_URL, undefined)).toBe(PRODUCT_URL);
    expect(heldImageUrl(REMOTE_PRODUCT, { ...PRODUCT_META, src: "/api/files/abc.png" })).toBe(
      "backdrop://files/abc.png",
    );
    expect(heldImageUrl(REMOTE_PRODUCT, undefined)).toBeUndefined();
  });

  it("makes the cutout one undo step, undo giving the original back", () => {
    const before = withProduct();
    const after = run(before, { type: "setProduct", url: "backdrop://files/cut.png", meta: cutout });
    expect(after.history.present.imageUrl).toBe("backdrop://files/cut.png");
    expect(run(after, { type: "undo" }).history.present.imageUrl).toBe(PRODUCT_URL);
  });

  it("remembers what a cutout was cut from across a reload", () => {
    const after = run(withProduct(), { type: "setProduct", url: "backdrop://files/cut.png", meta: cutout });
    const restored = deserialize(serialize(after));
    expect(restored?.images["backdrop://files/cut.png"]?.cutOutFrom).toEqual(cutout.cutOutFrom);
  });
});
