/**
 * The composer's fields in plain words: the label a person reads for each API field, and the id of the
 * control that edits it, so a form, the Generate panel's list of what to fix, and a server's 422 all
 * name a field the same way. The API's own names stay in the request JSON.
 */
export type FieldInfo = { label: string; id?: string };

export const FIELDS = {
  "object.image_url": { label: "Product image" },
  "object.position.x": { label: "X", id: "placement-x" },
  "object.position.y": { label: "Y (up)", id: "placement-y" },
  "object.scale": { label: "Scale", id: "placement-scale" },
  "object.rotation_degree": { label: "Rotation", id: "placement-rotation" },
  "object.padding": { label: "Margin", id: "object-padding" },
  "scene.template_url": { label: "Template image" },
  "scene.prompt": { label: "Describe the scene", id: "scene-prompt" },
  "scene.prompt.text": { label: "Describe the scene", id: "scene-prompt" },
  "scene.prompt.guidelines": { label: "Hints for the prompt", id: "scene-prompt-guidelines" },
  "scene.negative_prompt": { label: "Keep out of the scene", id: "scene-negative-prompt" },
  "scene.color": { label: "Background colour", id: "scene-color" },
  "scene.aspect_ratio": { label: "Frame shape", id: "scene-aspect-ratio" },
  "scene.view": { label: "Camera angle", id: "scene-view" },
  "scene.template_mode": { label: "How closely to keep it", id: "scene-template-mode" },
  "scene.model": { label: "AI model", id: "scene-model" },
  "scene.steps": { label: "Detail steps", id: "scene-steps" },
  "scene.preference": { label: "Speed or quality", id: "scene-preference" },
  "output.number_of_images": { label: "Images per run", id: "output-count" },
  "output.format": { label: "File format", id: "output-format" },
  "output.format.quality": { label: "Quality", id: "output-jpeg-quality" },
  "output.format.compression": { label: "Compression", id: "output-compression" },
  "output.destination": { label: "Save to a storage", id: "output-destination" },
  output: { label: "Save to a storage", id: "output-destination" },
} as const satisfies Record<string, FieldInfo>;

export type FieldPath = keyof typeof FIELDS;

/** The field a path (as the contract or the server reports it) is about: itself, or its nearest parent. */
export function fieldOf(path: string): FieldInfo | undefined {
  for (let p = path; p; p = p.includes(".") ? p.slice(0, p.lastIndexOf(".")) : "") {
    const info = (FIELDS as Record<string, FieldInfo>)[p];
    if (info) return info;
  }
  return undefined;
}

export function labelOf(path: FieldPath): string {
  return FIELDS[path].label;
}
