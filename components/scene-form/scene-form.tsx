"use client";

import { useComposer } from "@/components/composer/composer-context";
import { Field } from "@/components/ui/field";
import { NumberInput } from "@/components/ui/number-input";
import { Segmented } from "@/components/ui/segmented";
import { choices, SelectField } from "@/components/ui/select-field";
import { TextField } from "@/components/ui/text-field";
import type { SceneFields } from "@/lib/composer/doc";
import { errorFor } from "@/lib/composer/field-errors";
import { labelOf } from "@/lib/composer/fields";
import type { PlainSceneField } from "@/lib/composer/reducer";
import { SCHEMA_ASPECT_RATIOS } from "@/lib/scene/aspect-ratios";
import type { SceneKind } from "@/lib/scene/contract";
import { EFFECT_VIEWS, MODELS, PREFERENCES, TEMPLATE_MODES, TEMPLATE_VIEWS } from "@/lib/scene/vocabulary";

import { Advanced } from "./advanced";
import { ColorField } from "./color-field";
import { PromptField } from "./prompt-field";

const KINDS = [
  { value: "prompt", label: "Prompt" },
  { value: "template", label: "Template" },
  { value: "effect", label: "Shadows" },
] as const satisfies readonly { value: SceneKind; label: string }[];

const KIND_HINTS: Record<SceneKind, string> = {
  prompt: "A new background described in words, or written for you from the product.",
  template: "Your own background image; the frame takes its shape.",
  effect: "A plain colour or a transparent background, with a realistic shadow.",
};

/** The API's words for a few fields, said the way a person would. */
const TEMPLATE_MODE_LABELS = {
  transform: "Reimagine it",
  adjust: "Adjust it slightly",
  lock: "Keep it exactly as it is",
} as const;
const VIEW_LABELS = { auto: "Auto", top: "From above", front: "From the front" } as const;
const PREFERENCE_LABELS = { fast: "Faster", optimal: "Balanced", best: "Best quality" } as const;
const RATIO_SHAPES: Record<string, string> = {
  "1:1": "square",
  "21:9": "ultrawide",
  "16:9": "widescreen",
  "9:16": "story",
};

function ratioLabel(ratio: string): string {
  const [w, h] = ratio.split(":").map(Number);
  const shape =
    RATIO_SHAPES[ratio] ?? (w !== undefined && h !== undefined && w > h ? "landscape" : "portrait");
  return `${ratio} ${shape}`;
}

export function SceneForm() {
  const { doc, dispatch, errors } = useComposer();
  const s = doc.scene;
  const set = (field: PlainSceneField, value: SceneFields[PlainSceneField]) =>
    dispatch({ type: "setSceneField", field, value });
  const close = () => dispatch({ type: "closeStep" });
  const advancedError = Boolean(errors["scene.model"] ?? errors["scene.steps"] ?? errors["scene.preference"]);

  return (
    <div className="flex flex-col gap-3" data-testid="scene-form">
      <Segmented
        label="Scene kind"
        name="scene-kind"
        value={doc.kind}
        options={KINDS}
        onChange={(kind) => dispatch({ type: "setKind", kind })}
      />
      <p className="text-xs text-ink-muted">{KIND_HINTS[doc.kind]}</p>

      {doc.kind === "prompt" ? <PromptField required /> : null}
      {doc.kind === "template" ? (
        <>
          <div className="flex flex-col gap-3">
            <SelectField
              id="scene-template-mode"
              label={labelOf("scene.template_mode")}
              value={s.template_mode}
              choices={choices(TEMPLATE_MODES, (m) => TEMPLATE_MODE_LABELS[m])}
              defaultLabel={`${TEMPLATE_MODE_LABELS.transform} (default)`}
              onChange={(v) => set("template_mode", v)}
              error={errors["scene.template_mode"]}
            />
            <SelectField
              id="scene-view"
              label={labelOf("scene.view")}
              value={s.view === "top" || s.view === "front" ? s.view : "front"}
              choices={choices(TEMPLATE_VIEWS, (v) => VIEW_LABELS[v])}
              onChange={(v) => set("view", v ?? "front")}
              error={errors["scene.view"]}
            />
          </div>
          <label className="flex items-center gap-2 text-xs text-ink-soft">
            <input
              type="checkbox"
              className="accent-accent"
              checked={s.prompt !== undefined}
              onChange={(event) =>
                dispatch({ type: "setTemplatePromptEnabled", enabled: event.target.checked })
              }
            />
            Also describe the scene with a prompt
          </label>
          {s.prompt !== undefined ? <PromptField required={false} /> : null}
        </>
      ) : null}

      {doc.kind !== "effect" ? (
        <TextField
          id="scene-negative-prompt"
          label={labelOf("scene.negative_prompt")}
          value={s.negative_prompt ?? ""}
          placeholder="e.g. people, text, clutter"
          onChange={(v) => set("negative_prompt", v)}
          onBlur={close}
          error={errors["scene.negative_prompt"]}
        />
      ) : null}

      {doc.kind === "effect" ? (
        <SelectField
          id="scene-view"
          label={labelOf("scene.view")}
          value={s.view}
          choices={choices(EFFECT_VIEWS, (v) => VIEW_LABELS[v])}
          defaultLabel="Auto (default)"
          onChange={(v) => set("view", v)}
          error={errors["scene.view"]}
        />
      ) : null}

      <ColorField allowTransparent={doc.kind === "effect"} error={errors["scene.color"]} />

      {doc.kind !== "template" ? (
        <SelectField
          id="scene-aspect-ratio"
          label={labelOf("scene.aspect_ratio")}
          value={s.aspect_ratio}
          choices={choices(SCHEMA_ASPECT_RATIOS, ratioLabel)}
          defaultLabel="1:1 square (default)"
          onChange={(v) => set("aspect_ratio", v)}
          error={errors["scene.aspect_ratio"]}
          hint={
            doc.placement === "original" ? "“As in image” uses the product image's own frame." : undefined
          }
        />
      ) : null}

      <Advanced id="scene-advanced" hasError={advancedError}>
        <SelectField
          id="scene-model"
          label={labelOf("scene.model")}
          value={s.model}
          choices={choices(MODELS)}
          defaultLabel="v1 (default)"
          onChange={(v) => set("model", v)}
          error={errors["scene.model"]}
        />
        {doc.kind !== "effect" ? (
          <Field
            id="scene-steps"
            label={labelOf("scene.steps")}
            hint="More steps, finer detail, slower. Empty lets the model choose."
            error={errors["scene.steps"]}
          >
            {(describedBy, invalid) => (
              <NumberInput
                id="scene-steps"
                value={s.steps}
                min={1}
                max={49}
                step={1}
                placeholder="Auto"
                describedBy={describedBy}
                invalid={invalid}
                onCommit={(v) => set("steps", v)}
                onBlur={close}
              />
            )}
          </Field>
        ) : null}
        {doc.kind === "prompt" ? (
          <SelectField
            id="scene-preference"
            label={labelOf("scene.preference")}
            value={s.preference}
            choices={choices(PREFERENCES, (p) => PREFERENCE_LABELS[p])}
            defaultLabel={`${PREFERENCE_LABELS.optimal} (default)`}
            onChange={(v) => set("preference", v)}
            error={errors["scene.preference"]}
          />
        ) : null}
      </Advanced>
      {errorFor(errors, "scene") && !Object.keys(errors).some((k) => k.startsWith("scene.")) ? (
        <p className="text-xs text-danger" role="alert">
          {errorFor(errors, "scene")}
        </p>
      ) : null}
    </div>
  );
}
