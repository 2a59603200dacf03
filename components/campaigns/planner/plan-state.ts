/**
 * The campaign planner's state as plain data, and the plan it makes: the page edits this, and what
 * is sent (and previewed) is always `toPlan(state)`.
 */
import type { AspectRatio } from "@/lib/scene/aspect-ratios";
import type { CampaignPlanInput } from "@/lib/scene/campaign";
import type { ObjectAbsolute } from "@/lib/scene/contract";
import type { Engine } from "@/lib/scene/generation";

export type PlannedProduct = { image_url: string; name: string; thumbUrl?: string | undefined };
export type PlannedScene = { name?: string | undefined; scene: Record<string, unknown>; from: string };
export type OutputFormatChoice = "png" | "jpeg" | "webp";

export type PlannerState = {
  name: string;
  engine: Engine;
  products: PlannedProduct[];
  scenes: PlannedScene[];
  ratios: AspectRatio[];
  imagesPerItem: number;
  format: OutputFormatChoice;
  /** Where the product sits in every frame (relative, so it holds in every ratio). */
  placement: Omit<ObjectAbsolute, "image_url">;
  reroll: boolean;
};

export const DEFAULT_PLACEMENT: PlannerState["placement"] = { scale: 0.7, position: { x: 0.5, y: 0.45 } };

export function initialPlanner(engine: Engine): PlannerState {
  return {
    name: "",
    engine,
    products: [],
    scenes: [],
    ratios: ["1:1"],
    imagesPerItem: 1,
    format: "png",
    placement: DEFAULT_PLACEMENT,
    reroll: false,
  };
}

/** Prompts typed one per line, as scenes: blank lines and lines too short for the contract are left out. */
export function promptScenes(text: string): PlannedScene[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length >= 3)
    .map((prompt) => ({ scene: { prompt }, from: "prompt" }));
}

/**
 * The plan the state describes, or undefined while it has no product or no scene. The first
 * product and scene are the base; the axes hold all of them, so every one becomes items.
 */
export function toPlan(state: PlannerState): CampaignPlanInput | undefined {
  const [product] = state.products;
  const [scene] = state.scenes;
  if (!product || !scene) return undefined;
  return {
    name: state.name.trim() || "Untitled campaign",
    engine: state.engine,
    base: {
      object: { ...state.placement, image_url: product.image_url },
      scene: scene.scene,
      output: { number_of_images: state.imagesPerItem, format: state.format },
    },
    axes: {
      products: state.products.map((p) =>
        p.name.trim() ? { image_url: p.image_url, name: p.name.trim() } : p.image_url,
      ),
      scenes: state.scenes.map((s) => (s.name ? { name: s.name, scene: s.scene } : s.scene)),
      ...(state.ratios.length ? { aspect_ratios: state.ratios } : {}),
    },
    reroll: state.reroll,
  };
}
