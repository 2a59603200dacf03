"use client";

import { useState } from "react";

import { axisNames, expandPlan, type CampaignPlan } from "@/lib/scene/campaign";

import { productLabels, sceneLabels } from "../labels";
import { ProductTabs } from "../product-tabs";

/**
 * The items the plan makes, before anything runs: a tab per product, rows of scenes, columns of
 * ratios. Items the server refused are marked with the field it named.
 */
export function PlanGrid({
  plan,
  problems,
}: {
  plan: Pick<CampaignPlan, "base" | "axes">;
  problems: ReadonlyMap<number, string>;
}) {
  const [tab, setTab] = useState(0);
  const items = expandPlan(plan);
  const names = axisNames(plan);
  const labels = sceneLabels(plan.axes, names.scenes);
  const product = Math.min(tab, names.products.length - 1);
  const ratios = plan.axes.aspect_ratios ?? [];
  const scenes = plan.axes.scenes ?? [];
  const cell = (scene: number, ratio: string | undefined) =>
    items.find(
      (i) =>
        (i.axes.product ?? 0) === product &&
        (i.axes.scene ?? 0) === scene &&
        (ratio === undefined || i.axes.aspect_ratio === ratio),
    );
  return (
    <div className="flex flex-col gap-2" data-testid="plan-grid">
      <ProductTabs
        names={productLabels(plan.axes, names.products)}
        current={product}
        onSelect={setTab}
        idPrefix="plan"
      />
      <div id="plan-panel" role="tabpanel" className="overflow-auto">
        <table className="w-full border-collapse text-xs">
          <thead>
            <tr>
              <th scope="col" className="p-1 text-left font-medium text-ink-soft">
                Scene
              </th>
              {(ratios.length ? ratios : ["frame"]).map((ratio) => (
                <th key={ratio} scope="col" className="p-1 font-medium text-ink-soft">
                  {ratio}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {scenes.map((_, s) => {
              return (
                <tr key={s}>
                  <th
                    scope="row"
                    className="max-w-48 truncate p-1 text-left font-normal"
                    title={`Files: ${names.scenes[s] ?? ""}`}
                  >
                    {labels[s]}
                  </th>
                  {(ratios.length ? ratios : [undefined]).map((ratio) => {
                    const item = cell(s, ratio);
                    const problem = item ? problems.get(item.position) : undefined;
                    return (
                      <td key={ratio ?? "frame"} className="p-1">
                        <div
                          data-testid="plan-cell"
                          data-invalid={problem ? "true" : undefined}
                          title={problem}
                          className={`flex h-10 items-center justify-center rounded border text-[11px] ${
                            problem
                              ? "border-danger bg-danger-soft text-danger"
                              : "border-canvas-line bg-canvas"
                          }`}
                        >
                          {item ? `#${item.position + 1}` : ""}
                          {problem ? " — not valid" : ""}
                        </div>
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
