"use client";

import { useState } from "react";

import { Button } from "@/components/ui/button";
import { controlClass } from "@/components/ui/field";
import { failureMessage } from "@/lib/client/request";
import { usePresets, useSavePreset } from "@/lib/client/use-presets";

import { sceneSummary } from "../labels";
import { promptScenes, type PlannedScene } from "./plan-state";

/** The scenes axis: several prompts at once, the team's presets, or the composer's current scene. */
export function ScenesPicker({
  scenes,
  composerScene,
  onChange,
}: {
  scenes: PlannedScene[];
  composerScene: Record<string, unknown> | undefined;
  onChange: (scenes: PlannedScene[]) => void;
}) {
  const [prompts, setPrompts] = useState("");
  const presets = usePresets();
  const save = useSavePreset();
  const [saving, setSaving] = useState<number | undefined>();
  const [presetName, setPresetName] = useState("");

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-col gap-1">
        <label htmlFor="campaign-prompts" className="text-xs font-medium text-ink-soft">
          Prompts, one per line
        </label>
        <textarea
          id="campaign-prompts"
          rows={3}
          className={`${controlClass} h-auto resize-y py-1.5`}
          value={prompts}
          placeholder={"on a marble counter, soft light\non warm sand at dawn"}
          onChange={(event) => setPrompts(event.target.value)}
        />
        <div className="flex flex-wrap gap-2">
          <Button
            onClick={() => {
              onChange([...scenes, ...promptScenes(prompts)]);
              setPrompts("");
            }}
            disabled={promptScenes(prompts).length === 0}
          >
            Add {promptScenes(prompts).length || ""} scene{promptScenes(prompts).length === 1 ? "" : "s"}
          </Button>
          {composerScene ? (
            <Button onClick={() => onChange([...scenes, { scene: composerScene, from: "composer" }])}>
              Add the composer&apos;s scene
            </Button>
          ) : null}
        </div>
      </div>

      {presets.data?.length ? (
        <div className="flex flex-col gap-1">
          <span className="text-xs font-medium text-ink-soft">Presets</span>
          <ul className="flex flex-wrap gap-1">
            {presets.data.map((preset) => (
              <li key={preset.id}>
                <Button
                  size="sm"
                  onClick={() =>
                    onChange([
                      ...scenes,
                      { name: preset.name, scene: preset.scene as Record<string, unknown>, from: "preset" },
                    ])
                  }
                  title={sceneSummary(preset.scene as Record<string, unknown>)}
                >
                  + {preset.name}
                </Button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {scenes.length === 0 ? <p className="text-xs text-ink-muted">No scenes yet.</p> : null}
      <ol className="flex flex-col gap-1" aria-label="Scenes">
        {scenes.map((scene, index) => (
          <li
            key={index}
            className="flex flex-col gap-1 rounded-md border border-canvas-line bg-canvas-panel p-2"
          >
            <div className="flex items-center gap-2">
              <span className="min-w-0 flex-1 truncate text-sm" title={sceneSummary(scene.scene)}>
                {scene.name ? <strong>{scene.name}: </strong> : null}
                {sceneSummary(scene.scene)}
              </span>
              <Button
                size="sm"
                variant="ghost"
                onClick={() => setSaving(saving === index ? undefined : index)}
              >
                Save as preset
              </Button>
              <Button
                size="sm"
                variant="ghost"
                onClick={() => onChange(scenes.filter((_, i) => i !== index))}
              >
                Remove
              </Button>
            </div>
            {saving === index ? (
              <form
                className="flex items-center gap-2"
                onSubmit={(event) => {
                  event.preventDefault();
                  save.mutate(
                    { name: presetName, scene: scene.scene },
                    {
                      onSuccess: (preset) => {
                        onChange(scenes.map((s, i) => (i === index ? { ...s, name: preset.name } : s)));
                        setSaving(undefined);
                        setPresetName("");
                      },
                    },
                  );
                }}
              >
                <input
                  aria-label="Preset name"
                  className={`${controlClass} h-7`}
                  value={presetName}
                  onChange={(event) => setPresetName(event.target.value)}
                  placeholder="Preset name"
                />
                <Button size="sm" type="submit" disabled={!presetName.trim() || save.isPending}>
                  Save
                </Button>
                {save.error ? (
                  <span role="alert" className="text-xs text-danger">
                    {failureMessage(save.error, "Not saved")}
                  </span>
                ) : null}
              </form>
            ) : null}
          </li>
        ))}
      </ol>
    </div>
  );
}
