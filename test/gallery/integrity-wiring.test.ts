// The integrity verdict where people look: gallery cards, the detail view, campaign cells and the
// review view (rendered as the server renders them), and the gallery's Flagged filter in the URL.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createElement, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { CampaignBoard } from "@/components/campaigns/board/campaign-board";
import { OutputReview } from "@/components/campaigns/board/output-review";
import { DetailView } from "@/components/gallery/detail-view";
import { GenerationCard } from "@/components/gallery/generation-card";
import { filtersFromParams, filtersToParams, NO_FILTERS } from "@/lib/client/generation-filters";
import { queryKeys } from "@/lib/client/query-keys";
import { campaign as campaignSchema, type Campaign, type ReviewedOutput } from "@/lib/scene/campaign";
import { sceneCreateRequest } from "@/lib/scene/contract";
import type { Generation, GenerationOutput } from "@/lib/scene/generation";
import type { OutputIntegrity } from "@/lib/scene/integrity";

const noop = () => undefined;
const verdict = (v: OutputIntegrity["verdict"], extra: Partial<OutputIntegrity> = {}): OutputIntegrity => ({
  verdict: v,
  similarity: v === "unknown" ? null : v === "altered" ? 0.31 : 0.97,
  offset_px: v === "moved" ? 42 : 0.4,
  scale_ratio: 1,
  checked_at: "2030-01-01T10:00:10.000Z",
  ...extra,
});
const output = (index: number, integrity: OutputIntegrity | null): GenerationOutput => ({
  id: `00000000-0000-4000-8000-00000000000${index}`,
  index,
  url: `/api/files/k${index}.png`,
  thumbUrl: `/api/files/k${index}.png/thumb`,
  downloadUrl: `/api/files/k${index}.png?download=1`,
  format: "png",
  width: 1024,
  height: 1024,
  size: 1000,
  destination: null,
  integrity,
});
const generation = (outputs: GenerationOutput[]): Generation => ({
  id: "0f3c9a1e-2b4d-4c6e-8f00-123456789abc",
  kind: "scene",
  status: "succeeded",
  engine: "claid",
  request: sceneCreateRequest.parse({
    object: { image_url: "https://images.example.com/product.png" },
    scene: { prompt: "oak shelf" },
  }),
  createdAt: "2030-01-01T10:00:00.000Z",
  startedAt: "2030-01-01T10:00:01.000Z",
  finishedAt: "2030-01-01T10:00:09.000Z",
  favorite: false,
  createdBy: null,
  timings: {},
  upstreamRequestId: null,
  error: null,
  note: null,
  reusedFrom: null,
  outputs,
  integrityPending: false,
});

/** Each badge rendered: `verdict:text`. */
function badges(html: string): string[] {
  return [...html.matchAll(/data-testid="integrity-badge" data-verdict="([a-z]+)"[^>]*>([^<]*)</g)].map(
    (m) => `${m[1]}:${m[2]!.replace(/<!-- -->/g, "")}`,
  );
}

const withQueries = (element: ReactElement, seed?: (client: QueryClient) => void) => {
  const client = new QueryClient();
  seed?.(client);
  return renderToStaticMarkup(createElement(QueryClientProvider, { client }, element));
};

const card = (g: Generation) =>
  renderToStaticMarkup(
    createElement(GenerationCard, {
      generation: g,
      selected: false,
      canEdit: true,
      onOpen: noop,
      onToggleSelect: noop,
      onToggleFavorite: noop,
    }),
  ).replace(/<!-- -->/g, "");

describe("the integrity badge", () => {
  it("on a gallery card says the worst verdict of its images, and how many are flagged", () => {
    expect(badges(card(generation([output(0, verdict("intact"))])))).toEqual(["intact:Product intact"]);
    expect(
      badges(
        card(
          generation([
            output(0, verdict("intact")),
            output(1, verdict("moved")),
            output(2, verdict("altered")),
          ]),
        ),
      ),
    ).toEqual(["altered:⚠ Product altered (2)"]);
    expect(badges(card(generation([output(0, null)])))).toEqual(["none:Not checked"]);
    expect(badges(card(generation([])))).toEqual([]);
  });

  it("in the detail view is on every stored image, its figures in the tooltip, with the export offered", () => {
    const html = renderToStaticMarkup(
      createElement(DetailView, {
        generation: generation([
          output(0, verdict("moved")),
          output(1, verdict("unknown", { reason: "a template scene" })),
        ]),
        canEdit: false,
        onClose: noop,
        onToggleFavorite: noop,
        onDelete: noop,
      }),
    ).replace(/<!-- -->/g, "");
    expect(badges(html)).toEqual(["moved:⚠ Product moved", "unknown:Not judged"]);
    expect(html).toContain('title="The product is 42 px from where it was placed, at 1× its size"');
    expect(html).toContain('title="Not judged: a template scene"');
    expect(html).toContain("Export for channels…");
  });

  it("on a campaign cell and in its review view", () => {
    const reviewed = (o: GenerationOutput): ReviewedOutput => ({ ...o, review: null, reviews: [] });
    const altered = reviewed(output(0, verdict("altered")));
    expect(
      badges(
        withQueries(
          createElement(OutputReview, { campaignId: "c", output: altered, label: "bottle", canReview: true }),
        ).replace(/<!-- -->/g, ""),
      ),
    ).toEqual(["altered:⚠ Product altered"]);

    const board: Campaign = campaignSchema.parse({
      id: "0f3c9a1e-2b4d-4c6e-8f00-00000000c0de",
      name: "Spring",
      engine: "local",
      status: "done",
      item_count: 1,
      counts: { queued: 0, running: 0, succeeded: 1, failed: 0, cancelled: 0, reused: 0 },
      created_at: "2030-01-01T10:00:00.000Z",
      created_by: null,
      cancelled_at: null,
      plan: {
        name: "Spring",
        engine: "local",
        base: generation([]).request,
        axes: {},
        reroll: false,
      },
      names: { products: ["product-1"], scenes: ["oak-shelf"], placements: [] },
      progress: { elapsed_ms: 9000, remaining_ms: null, finished_at: "2030-01-01T10:00:09.000Z" },
      items: [
        {
          position: 0,
          generation_id: "0f3c9a1e-2b4d-4c6e-8f00-123456789abc",
          axes: {},
          names: { product: "product-1", scene: "oak-shelf", ratio: "1x1" },
          status: "succeeded",
          attempts: 1,
          error: null,
          started_at: "2030-01-01T10:00:01.000Z",
          finished_at: "2030-01-01T10:00:09.000Z",
          outputs: [reviewed(output(0, verdict("intact"))), reviewed(output(1, verdict("moved")))],
        },
      ],
    });
    const html = withQueries(
      createElement(CampaignBoard, { id: board.id, canReview: true, me: { id: "u", admin: false } }),
      (c) => c.setQueryData(queryKeys.campaigns.detail(board.id), board),
    ).replace(/<!-- -->/g, "");
    // The cell's own badge (the worst of its images) first, then one per image in the review view.
    expect(badges(html)).toEqual(["moved:⚠ Product moved", "intact:Product intact", "moved:⚠ Product moved"]);
    // Nothing approved: the export is offered but not yet possible.
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*>Export approved for channels…<\/button>/);
  });
});

describe("the Flagged filter", () => {
  it("is in the URL as flagged=1 and read back from it", () => {
    const params = filtersToParams({ ...NO_FILTERS, flagged: true });
    expect(params.toString()).toBe("flagged=1");
    expect(filtersFromParams(params)).toEqual({ ...NO_FILTERS, flagged: true });
    expect(filtersToParams(NO_FILTERS).has("flagged")).toBe(false);
  });
});
