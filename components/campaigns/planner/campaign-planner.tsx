"use client";

import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";

import { Button } from "@/components/ui/button";
import { controlClass } from "@/components/ui/field";
import { Section } from "@/components/ui/section";
import { Segmented } from "@/components/ui/segmented";
import { TextField } from "@/components/ui/text-field";
import { ApiFailure, failureMessage } from "@/lib/client/request";
import { useCampaignPreview, useStartCampaign } from "@/lib/client/use-campaigns";
import { useEngines } from "@/lib/client/use-engines";
import { SCHEMA_ASPECT_RATIOS, type AspectRatio } from "@/lib/scene/aspect-ratios";
import { campaignPlan, type CampaignPreview } from "@/lib/scene/campaign";
import type { ObjectAbsolute, SceneCreateRequest } from "@/lib/scene/contract";
import type { Engine } from "@/lib/scene/generation";
import { placementTypeOf } from "@/lib/scene/vocabulary";

import { PlanGrid } from "./plan-grid";
import { initialPlanner, toPlan, type OutputFormatChoice, type PlannerState } from "./plan-state";
import { ProductsPicker } from "./products-picker";
import { ScenesPicker } from "./scenes-picker";
import { useComposerRequest } from "./use-composer-request";

/** The composer's placement when it places its product freely (scale, position, rotation). */
function composerPlacement(request: SceneCreateRequest | undefined): PlannerState["placement"] | undefined {
  if (!request || placementTypeOf(request.object) !== "absolute") return undefined;
  const { image_url: _image, ...placement } = request.object as ObjectAbsolute;
  return placement;
}

type ItemProblem = { position: number; name: string; fields: Record<string, string[]> };

/** The items the server refused, by position, each with its first field and message. */
function problemsOf(error: unknown): Map<number, string> {
  const problems = new Map<number, string>();
  if (!(error instanceof ApiFailure)) return problems;
  const items = error.details.error_details?.items;
  if (!Array.isArray(items)) return problems;
  for (const item of items as ItemProblem[]) {
    const [field, messages] = Object.entries(item.fields ?? {})[0] ?? ["", []];
    problems.set(item.position, `${field}: ${messages[0] ?? "not valid"}`);
  }
  return problems;
}

function Cost({ preview, engine }: { preview: CampaignPreview; engine: Engine }) {
  return (
    <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm" data-testid="cost-panel">
      <dt className="text-ink-soft">Items</dt>
      <dd data-figure="items">{preview.items}</dd>
      <dt className="text-ink-soft">Images</dt>
      <dd data-figure="images">{preview.images}</dd>
      <dt className="text-ink-soft">Reused (free)</dt>
      <dd data-figure="reused">{preview.reused}</dd>
      <dt className="text-ink-soft">Credits</dt>
      <dd data-figure="credits">{engine === "local" ? "0 (drafts are free)" : preview.credits}</dd>
      {engine === "claid" ? (
        <>
          <dt className="text-ink-soft">Claid images left today</dt>
          <dd data-figure="budget-left">
            {preview.budget_left}
            {preview.over_budget ? (
              <span className="ml-2 text-danger">over by {preview.new_images - preview.budget_left}</span>
            ) : null}
          </dd>
        </>
      ) : null}
    </dl>
  );
}

/**
 * Plans a campaign: products, scenes (several prompts at once, presets, the composer's scene) and
 * ratios; the items and their cost follow every change (the server's dry run), and Start records
 * the whole campaign before anything runs.
 */
export function CampaignPlanner() {
  const router = useRouter();
  const engines = useEngines();
  const composer = useComposerRequest();
  const [state, setState] = useState<PlannerState>(() => initialPlanner("local"));
  const update = (change: Partial<PlannerState>) => setState((s) => ({ ...s, ...change }));
  // The composer's placement of its product holds in every frame of the campaign.
  const placement = composerPlacement(composer) ?? state.placement;
  const plan = toPlan({ ...state, placement });
  const planKey = JSON.stringify(plan ?? null);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the plan is rebuilt every render; its JSON says when it changed
  const parsed = useMemo(() => (plan ? campaignPlan.safeParse(plan) : undefined), [planKey]);
  const preview = useCampaignPreview(parsed?.success ? plan : undefined);
  const start = useStartCampaign();
  const problems = problemsOf(preview.error);
  const claidAvailable = engines.data?.available.claid ?? false;
  const ready = Boolean(parsed?.success && preview.data && !preview.error && !preview.isFetching);

  return (
    <div className="mx-auto grid max-w-7xl grid-cols-1 gap-6 p-6 lg:grid-cols-[minmax(0,26rem)_minmax(0,1fr)]">
      <div className="flex flex-col rounded-lg border border-canvas-line bg-canvas-panel">
        <div className="px-4 pt-4">
          <h1 className="text-lg font-semibold">New campaign</h1>
          <p className="text-sm text-ink-soft">Every product in every scene at every ratio: one item each.</p>
        </div>
        <Section title="Campaign" id="campaign-basics">
          <TextField
            id="campaign-name"
            label="Name"
            value={state.name}
            onChange={(name) => update({ name })}
          />
          <Segmented<Engine>
            label="Engine"
            name="campaign-engine"
            value={state.engine}
            onChange={(engine) => update({ engine })}
            options={[
              { value: "local", label: "Draft (local, free)" },
              { value: "claid", label: "Claid", disabled: !claidAvailable },
            ]}
          />
        </Section>
        <Section title="Products" id="campaign-products">
          <ProductsPicker
            products={state.products}
            composerProduct={composer?.object.image_url}
            onChange={(products) => update({ products })}
          />
        </Section>
        <Section title="Scenes" id="campaign-scenes">
          <ScenesPicker
            scenes={state.scenes}
            composerScene={composer?.scene as Record<string, unknown> | undefined}
            onChange={(scenes) => update({ scenes })}
          />
        </Section>
        <Section title="Aspect ratios" id="campaign-ratios">
          <fieldset className="flex flex-wrap gap-2">
            <legend className="sr-only">Aspect ratios</legend>
            {SCHEMA_ASPECT_RATIOS.map((ratio) => (
              <label key={ratio} className="flex items-center gap-1 text-sm">
                <input
                  type="checkbox"
                  className="accent-accent"
                  checked={state.ratios.includes(ratio)}
                  onChange={(event) =>
                    update({
                      ratios: event.target.checked
                        ? SCHEMA_ASPECT_RATIOS.filter((r) => r === ratio || state.ratios.includes(r))
                        : state.ratios.filter((r: AspectRatio) => r !== ratio),
                    })
                  }
                />
                {ratio}
              </label>
            ))}
          </fieldset>
        </Section>
        <Section title="Output" id="campaign-output">
          <div className="grid grid-cols-2 gap-3">
            <label className="flex flex-col gap-1 text-xs font-medium text-ink-soft">
              Images per item
              <select
                className={controlClass}
                value={state.imagesPerItem}
                onChange={(event) => update({ imagesPerItem: Number(event.target.value) })}
              >
                {[1, 2, 3, 4].map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </label>
            <label className="flex flex-col gap-1 text-xs font-medium text-ink-soft">
              Format
              <select
                className={controlClass}
                value={state.format}
                onChange={(event) => update({ format: event.target.value as OutputFormatChoice })}
              >
                <option value="png">PNG</option>
                <option value="jpeg">JPEG</option>
                <option value="webp">WebP</option>
              </select>
            </label>
          </div>
          <label className="flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              className="mt-1 accent-accent"
              checked={state.reroll}
              onChange={(event) => update({ reroll: event.target.checked })}
            />
            <span>
              Re-roll: generate again even where an identical request already has images.
              <span className="block text-xs text-ink-muted">
                Claid has no seed, so a re-roll gives different images, and costs credits again.
              </span>
            </span>
          </label>
        </Section>
      </div>

      <div className="flex min-w-0 flex-col gap-4">
        <section
          aria-labelledby="campaign-cost-title"
          className="flex flex-col gap-3 rounded-lg border border-canvas-line bg-canvas-panel p-4"
        >
          <h2 id="campaign-cost-title" className="text-xs font-semibold tracking-wide uppercase">
            Cost
          </h2>
          {!plan ? <p className="text-sm text-ink-muted">Add at least one product and one scene.</p> : null}
          {plan && preview.data ? <Cost preview={preview.data} engine={state.engine} /> : null}
          {preview.error ? (
            <p role="alert" className="text-sm text-danger" data-testid="plan-error">
              {failureMessage(preview.error, "The plan could not be checked")}
            </p>
          ) : null}
          <div className="flex items-center gap-3">
            <Button
              variant="primary"
              disabled={!ready || start.isPending || preview.data?.over_budget}
              onClick={() =>
                plan &&
                start.mutate(plan, { onSuccess: (campaign) => router.push(`/campaigns/${campaign.id}`) })
              }
            >
              {start.isPending
                ? "Starting…"
                : `Start campaign${preview.data ? ` (${preview.data.items} items)` : ""}`}
            </Button>
            {start.error ? (
              <span role="alert" className="text-sm text-danger">
                {failureMessage(start.error, "The campaign could not be started")}
              </span>
            ) : null}
          </div>
        </section>
        {parsed?.success ? (
          <section
            aria-labelledby="campaign-items-title"
            className="flex flex-col gap-3 rounded-lg border border-canvas-line bg-canvas-panel p-4"
          >
            <h2 id="campaign-items-title" className="text-xs font-semibold tracking-wide uppercase">
              Items
            </h2>
            <PlanGrid plan={parsed.data} problems={problems} />
          </section>
        ) : null}
      </div>
    </div>
  );
}
