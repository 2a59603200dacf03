// The gallery's detail view, rendered as the server renders it: what it says about a generation.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { DetailView } from "@/components/gallery/detail-view";
import { sceneCreateRequest } from "@/lib/scene/contract";
import type { Generation } from "@/lib/scene/generation";

const generation: Generation = {
  id: "0f3c9a1e-2b4d-4c6e-8f00-123456789abc",
  status: "succeeded",
  engine: "claid",
  kind: "scene",
  request: sceneCreateRequest.parse({
    object: { image_url: "https://images.example.com/product.png" },
    scene: { prompt: "oak shelf" },
  }),
  createdAt: "2030-01-01T10:00:00.000Z",
  startedAt: "2030-01-01T10:00:01.000Z",
  finishedAt: "2030-01-01T10:00:09.000Z",
  favorite: false,
  createdBy: { id: "u1", name: "Mo Member" },
  timings: {},
  upstreamRequestId: null,
  error: null,
  note: "The server stopped during the download; after the restart 1 of 1 images fetched from Claid's links.",
  reusedFrom: null,
  outputs: [],
  integrityPending: false,
};

function render(g: Generation, canEdit: boolean): string {
  const noop = () => undefined;
  return renderToStaticMarkup(
    createElement(DetailView, {
      generation: g,
      canEdit,
      onClose: noop,
      onToggleFavorite: noop,
      onDelete: noop,
    }),
  );
}

describe("the detail view", () => {
  it("says how a generation ended when its status alone does not", () => {
    expect(render(generation, true)).toContain(
      "after the restart 1 of 1 images fetched from Claid&#x27;s links.",
    );
    expect(render({ ...generation, note: null }, true)).not.toContain('data-testid="generation-note"');
  });

  it("offers Open in composer to those who compose, not to viewers", () => {
    expect(render(generation, true)).toContain("Open in composer");
    expect(render(generation, false)).not.toContain("Open in composer");
  });

  it("shows an image edit by what it did, and offers no composer", () => {
    const edit: Generation = {
      ...generation,
      kind: "image_edit",
      request: {
        input: "backdrop://files/abc.jpg",
        operations: { background: { remove: true, color: "transparent" }, padding: "10%" },
        output: { format: "png" },
      },
    };
    const html = render(edit, true);
    expect(html).toContain("Image edit: background removed (transparent), padding 10%");
    expect(html).not.toContain("Open in composer");
  });
});
