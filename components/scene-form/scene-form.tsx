"use client";

import { useComposer } from "@/components/composer/composer-context";
import { Field } from "@/components/ui/field";
import { NumberInput } from "@/components/ui/number-input";
import { Segmented } from "@/components/ui/segmented";
import { choices, SelectField } from "@/components/ui/select-field";
import { TextField } from "@/components/ui/text-field";
import type { SceneFields } from "@/lib/composer/doc";
import { errorFor } from "@/lib/composer/field-errors";
import type { PlainSceneField } from "@/lib/composer/reducer";
import { SCHEMA_ASPECT_RATIOS } from "@/lib/scene/aspect-ratios";
import type { SceneKind } from "@/lib/scene/contract";
import { EFFECT_VIEWS, MODELS, PREFERENCES, TEMPLATE_MODES, TEMPLATE_VIEWS } from "@/lib/scene/vocabulary";

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

export function SceneForm() {
  const { doc, dispatch, errors } = useComposer();
  const s = doc.scene;
  const set = (field: PlainSceneField, value: SceneFields[PlainSceneField]) =>
    dispatch({ type: "setSceneField", field, value });
  const close = () => dispatch({ type: "closeStep" });

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
          <div className="grid grid-cols-2 gap-2">
            <SelectField
              id="scene-template-mode"
              label="Template mode"
              value={s.template_mode}
              choices={choices(
                TEMPLATE_MODES,
                (m) => ({ transform: "Transform", lock: "Lock", adjust: "Adjust" })[m],
              )}
              defaultLabel="Default (transform)"
              onChange={(v) => set("template_mode", v)}
              error={errors["scene.template_mode"]}
            />
            <SelectField
              id="scene-view"
              label="View"
              value={s.view === "top" || s.view === "front" ? s.view : "front"}
              choices={choices(TEMPLATE_VIEWS, (v) => (v === "top" ? "Top-down" : "Front"))}
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
        <>
          <TextField
            id="scene-negative-prompt"
            label="Negative prompt"
            value={s.negative_prompt ?? ""}
            placeholder="What to keep out, e.g. people, text, clutter"
            onChange={(v) => set("negative_prompt", v)}
            onBlur={close}
            error={errors["scene.negative_prompt"]}
          />
          <Field
            id="scene-steps"
            label="Steps"
            hint="More steps, finer detail, slower. Empty uses the model's own choice."
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
        </>
      ) : null}

      {doc.kind === "effect" ? (
        <SelectField
          id="scene-view"
          label="View"
          value={s.view}
          choices={choices(EFFECT_VIEWS, (v) => ({ auto: "Auto", top: "Top-down", front: "Front" })[v])}
          defaultLabel="Default (auto)"
          onChange={(v) => set("view", v)}
          error={errors["scene.view"]}
        />
      ) : null}

      <ColorField allowTransparent={doc.kind === "effect"} error={errors["scene.color"]} />

      {doc.kind !== "template" ? (
        <SelectField
          id="scene-aspect-ratio"
          label="Aspect ratio"
          value={s.aspect_ratio}
          choices={choices(SCHEMA_ASPECT_RATIOS)}
          defaultLabel="Default (1:1)"
          onChange={(v) => set("aspect_ratio", v)}
          error={errors["scene.aspect_ratio"]}
          hint={
            doc.placement === "original"
              ? "Original placement uses the product image's own frame."
              : undefined
          }
        />
      ) : null}

      <div className="grid grid-cols-2 gap-2">
        <SelectField
          id="scene-model"
          label="Model"
          value={s.model}
          choices={choices(MODELS)}
          defaultLabel="Default (v1)"
          onChange={(v) => set("model", v)}
          error={errors["scene.model"]}
        />
        {doc.kind === "prompt" ? (
          <SelectField
            id="scene-preference"
            label="Preference"
            value={s.preference}
            choices={choices(PREFERENCES, (p) => ({ fast: "Fast", optimal: "Optimal", best: "Best" })[p])}
            defaultLabel="Default (optimal)"
            onChange={(v) => set("preference", v)}
            error={errors["scene.preference"]}
          />
        ) : null}
      </div>
      {errorFor(errors, "scene") && !Object.keys(errors).some((k) => k.startsWith("scene.")) ? (
        <p className="text-xs text-danger" role="alert">
          {errorFor(errors, "scene")}
        </p>
      ) : null}
    </div>
  );
}
