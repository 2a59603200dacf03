"use client";

import { useComposer } from "@/components/composer/composer-context";
import { Segmented } from "@/components/ui/segmented";
import { TextField } from "@/components/ui/text-field";

/** The prompt as words, or written for you from the product image (optionally steered by guidelines). */
export function PromptField({ required }: { required: boolean }) {
  const { doc, dispatch, errors } = useComposer();
  const prompt = doc.scene.prompt;
  const generate = typeof prompt === "object" && prompt.generate === true;
  const text = typeof prompt === "string" ? prompt : typeof prompt === "object" ? (prompt.text ?? "") : "";
  const guidelines = typeof prompt === "object" ? (prompt.guidelines ?? "") : "";
  const close = () => dispatch({ type: "closeStep" });
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
          label="Guidelines (optional)"
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
          label={required ? "Prompt" : "Prompt (optional)"}
          multiline
          value={text}
          placeholder="Describe the scene: surface, setting, light"
          onChange={(v) => dispatch({ type: "setPromptText", text: v })}
          onBlur={close}
          error={errors["scene.prompt.text"] ?? errors["scene.prompt"]}
        />
      )}
    </div>
  );
}
