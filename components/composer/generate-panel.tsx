"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect } from "react";

import { ApiFailure } from "@/components/ui/api-failure";
import { Button } from "@/components/ui/button";
import { Segmented } from "@/components/ui/segmented";
import type { Engine } from "@/lib/scene/generation";
import { imagesRequested } from "@/lib/scene/vocabulary";

import { loadApi } from "./api-loader";
import { useComposer } from "./composer-context";

export function GeneratePanel({ onStarted }: { onStarted: (id: string) => void }) {
  // Invalid with no messages only while the validator is still loading.
  const { state, doc, dispatch, request, valid, errors } = useComposer();
  const engines = useQuery({
    queryKey: ["engines"],
    queryFn: async () => (await loadApi()).fetchEngines(),
    staleTime: 60_000,
  });
  const claid = engines.data?.available.claid ?? false;
  const engine: Engine = state.engine === "claid" && claid ? "claid" : "local";

  useEffect(() => {
    if (state.engine === "claid" && engines.data && !claid) dispatch({ type: "setEngine", engine: "local" });
  }, [state.engine, engines.data, claid, dispatch]);

  const start = useMutation({
    mutationFn: async () => (await loadApi()).createGeneration(request, engine),
    onSuccess: (generation) => onStarted(generation.id),
  });
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
        {!claid && engines.data ? " Claid is not configured on this server." : ""}
      </p>
      <Button
        variant="primary"
        onClick={() => start.mutate()}
        disabled={!valid || start.isPending}
        data-testid="generate"
        aria-describedby={!valid ? "generate-blocked" : undefined}
      >
        {start.isPending
          ? "Starting…"
          : engine === "local"
            ? "Generate draft"
            : `Generate ${count} with Claid`}
      </Button>
      {!valid ? (
        <p id="generate-blocked" className="text-xs text-ink-muted">
          {doc.imageUrl === ""
            ? "Add a product image to generate."
            : Object.keys(errors).length === 0
              ? "Checking the request…"
              : "Fix the highlighted fields to generate."}
        </p>
      ) : null}
      {start.error ? (
        <p className="rounded-md bg-danger-soft px-2 py-1.5 text-xs text-danger" role="alert">
          {start.error instanceof ApiFailure
            ? `${start.error.details.error_message} (${start.error.details.error_code}, HTTP ${start.error.status})`
            : start.error.message}
        </p>
      ) : null}
    </div>
  );
}
