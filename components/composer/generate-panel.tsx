"use client";

import { Button } from "@/components/ui/button";
import { Segmented } from "@/components/ui/segmented";
import type { EnginesInfo } from "@/lib/client/engines";
import { ApiFailure } from "@/lib/client/request";
import type { Engine } from "@/lib/scene/generation";
import { imagesRequested } from "@/lib/scene/vocabulary";

import { useComposer } from "./composer-context";
import { ImageCheckList } from "./image-check-list";

/** The engine that will run: Claid only when chosen and this server has it. */
export function engineToUse(chosen: Engine, engines: EnginesInfo | undefined): Engine {
  return chosen === "claid" && engines?.available.claid ? "claid" : "local";
}

export type GenerateData = {
  /** Unknown while the server has not said. */
  engines?: EnginesInfo;
  starting?: boolean;
  error?: unknown;
  /** Absent until the panel's data has loaded; the button stays disabled meanwhile. */
  onGenerate?: () => void;
};

/** Engine choice and the Generate button; it draws what it is given (see generate-control.tsx). */
export function GeneratePanel({ engines, starting = false, error, onGenerate }: GenerateData) {
  // Invalid with no messages only while the validator is still loading.
  const { state, doc, dispatch, request, valid, errors, imageChecks } = useComposer();
  const imagesLoading = imageChecks.pending.length > 0;
  const claid = engines?.available.claid ?? false;
  const engine = engineToUse(state.engine, engines);
  const count = imagesRequested(request);

  return (
    <div className="flex flex-col gap-3">
      <Segmented
        label="Engine"
        name="engine"
        value={engine}
        options={[
          { value: "local", label: "Draft (local)" },
          { value: "claid", label: "Claid", disabled: !claid },
        ]}
        onChange={(value) => dispatch({ type: "setEngine", engine: value })}
      />
      <p className="text-xs text-ink-muted">
        {engine === "local"
          ? "Drafts are rendered here, free and instant: the same placement and frame, a simple studio backdrop. Not generative AI; use them to settle the composition."
          : `Claid generates the scene with AI and bills every image (${count} this run).`}
        {!claid && engines ? " Claid is not configured on this server." : ""}
      </p>
      <Button
        variant="primary"
        onClick={onGenerate}
        disabled={!valid || imagesLoading || starting || !onGenerate}
        data-testid="generate"
        aria-describedby={!valid ? "generate-blocked" : undefined}
      >
        {starting ? "Starting…" : engine === "local" ? "Generate draft" : `Generate ${count} with Claid`}
      </Button>
      <ImageCheckList checks={imageChecks} />
      {!valid ? (
        <p id="generate-blocked" className="text-xs text-ink-muted">
          {doc.imageUrl === ""
            ? "Add a product image to generate."
            : Object.keys(errors).length === 0
              ? "Checking the request…"
              : "Fix the highlighted fields to generate."}
        </p>
      ) : null}
      {error ? (
        <p className="rounded-md bg-danger-soft px-2 py-1.5 text-xs text-danger" role="alert">
          {error instanceof ApiFailure
            ? `${error.details.error_message} (${error.details.error_code}, HTTP ${error.status})`
            : error instanceof Error
              ? error.message
              : String(error)}
        </p>
      ) : null}
    </div>
  );
}
