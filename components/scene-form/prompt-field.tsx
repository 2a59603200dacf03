"use client";

import { useComposer } from "@/components/composer/composer-context";
import { Segmented } from "@/components/ui/segmented";
import { TextField } from "@/components/ui/text-field";
import { PROMPT_PLACEHOLDER } from "@/lib/composer/doc";
import { labelOf } from "@/lib/composer/fields";

/** The prompt as words, or written for you from the product image (optionally steered by hints). */
export function PromptField({ required }: { required: boolean }) {
  const { doc, dispatch, errors } = useComposer();
  const prompt = doc.scene.prompt;
  const generate = typeof prompt === "object" && prompt.generate === true;
  const text = typeof prompt === "string" ? prompt : typeof prompt === "object" ? (prompt.text ?? "") : "";
  const guidelines = typeof prompt === "object" ? (prompt.guidelines ?? "") : "";
  const close = () => dispatch({ type: "closeStep" });
  const textError = errors["scene.prompt.text"] ?? errors["scene.prompt"];
  const label = labelOf("scene.prompt");
  return (
    <div className="flex flex-col gap-2">
      <Segmented
        label="Prompt source"
        name="prompt-source"
        size="sm"
        value={generate ? "generate" : "write"}
        options={[
          { value: "write", label: "Write it" },
          { value: "generate", label: "Auto-generate" },
        ]}
        onChange={(mode) => dispatch({ type: "setPromptGenerate", generate: mode === "generate" })}
      />
      {generate ? (
        <TextField
          id="scene-prompt-guidelines"
          label={`${labelOf("scene.prompt.guidelines")} (optional)`}
          multiline
          rows={2}
          value={guidelines}
          placeholder="e.g. real-life setting, warm tones"
          onChange={(v) => dispatch({ type: "setGuidelines", text: v })}
          onBlur={close}
          hint="The prompt is written from the product image."
          error={errors["scene.prompt.guidelines"] ?? errors["scene.prompt"]}
        />
      ) : (
        <TextField
          id="scene-prompt"
          label={required ? label : `${label} (optional)`}
          multiline
          value={text}
          placeholder={PROMPT_PLACEHOLDER}
          onChange={(v) => dispatch({ type: "setPromptText", text: v })}
          onBlur={close}
          // An empty box on a first visit is the next step, not a mistake.
          hint={text === "" && required ? "Surface, setting, light: what the product stands in." : undefined}
          error={text === "" ? undefined : textError}
        />
      )}
    </div>
  );
}
