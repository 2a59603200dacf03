/** What a person reads for each axis value: the names they gave, the prompt they wrote. */
import type { CampaignAxes } from "@/lib/scene/campaign";
import { isRecord } from "@/lib/scene/vocabulary";

/** What a scene says in a line: its prompt, its effect or its template. */
export function sceneSummary(scene: Record<string, unknown>): string {
  const prompt = scene.prompt;
  if (typeof prompt === "string") return prompt;
  if (isRecord(prompt)) {
    if (typeof prompt.text === "string") return prompt.text;
    if (prompt.generate === true) return "Claid writes the prompt (autoprompt)";
  }
  if (scene.effect)
    return `Plain colour with shadows${typeof scene.color === "string" ? ` (${scene.color})` : ""}`;
  if (typeof scene.template_url === "string") return `Template ${scene.template_url.split("/").at(-1) ?? ""}`;
  return "Scene";
}

/** Each product's label: its given name, else the word its files are named with. */
export function productLabels(axes: CampaignAxes, fileNames: readonly string[]): string[] {
  return fileNames.map((fileName, i) => {
    const value = axes.products?.[i];
    return value && typeof value !== "string" && value.name ? value.name : fileName;
  });
}

/** Each scene's label: a preset's name, else what the scene says. */
export function sceneLabels(axes: CampaignAxes, fileNames: readonly string[]): string[] {
  return fileNames.map((fileName, i) => {
    const value = axes.scenes?.[i];
    if (!value) return fileName;
    if ("scene" in value && typeof value.name === "string") return value.name;
    return sceneSummary(value);
  });
}
