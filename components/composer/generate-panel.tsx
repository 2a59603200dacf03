"use client";

import { Button } from "@/components/ui/button";
import { Segmented } from "@/components/ui/segmented";
import type { EnginesInfo } from "@/lib/client/engines";
import { ApiFailure } from "@/lib/client/request";
import { fieldOf } from "@/lib/composer/fields";
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

/** One thing to do before generating; a next step (an empty box) is not drawn as a mistake. */
type Problem = { key: string; label?: string; id?: string; message: string; next?: boolean };

/** What stands between the request and Generate, each named by the field it is about. */
function problemsOf(
  errors: Record<string, string>,
  blank: { product: boolean; prompt: boolean },
  listed: ReadonlySet<string>,
): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const [path, message] of Object.entries(errors)) {
    if (path === "object.image_url" && blank.product) continue;
    // Images that could not be read are listed once, by ImageCheckList.
    if (listed.has(path)) continue;
    const field = fieldOf(path);
    const emptyPrompt = blank.prompt && path.startsWith("scene.prompt");
    const problem: Problem = emptyPrompt
      ? { key: path, id: field?.id, message: "Describe the scene to generate.", next: true }
      : { key: `${field?.label ?? path}: ${message}`, label: field?.label, id: field?.id, message };
    if (seen.has(problem.key)) continue;
    seen.add(problem.key);
    problems.push(problem);
  }
  return problems;
}

function ProblemItem({ problem }: { problem: Problem }) {
  const text = problem.label ? `${problem.label}: ${problem.message}` : problem.message;
  const tone = problem.next ? "text-ink-muted" : "text-danger";
  const id = problem.id;
  if (!id) return <span className={tone}>{text}</span>;
  return (
    <button
      type="button"
      className={`text-left underline-offset-2 hover:underline ${tone}`}
      onClick={() => focusField(id)}
    >
      {text}
    </button>
  );
}

/** A failed start in words: the server's message, and the field it names when it names one. */
function startFailure(error: unknown): string {
  if (!(error instanceof ApiFailure)) return error instanceof Error ? error.message : String(error);
  const fields = error.details.error_details?.fields;
  const [path, messages] =
    fields && typeof fields === "object" ? (Object.entries(fields)[0] ?? []) : ([] as unknown[]);
  const first = Array.isArray(messages) && typeof messages[0] === "string" ? messages[0] : undefined;
  const label = typeof path === "string" ? fieldOf(path.replace(/^request\./, ""))?.label : undefined;
  return label && first ? `${label}: ${first}` : error.details.error_message;
}

function focusField(id: string) {
  const element = document.getElementById(id);
  element?.closest("details")?.setAttribute("open", "");
  element?.scrollIntoView({ block: "center" });
  element?.focus();
}

/** Engine choice and the Generate button; it draws what it is given (see generate-control.tsx). */
export function GeneratePanel({ engines, starting = false, error, onGenerate }: GenerateData) {
  // Invalid with no messages only while the validator is still loading.
  const { state, doc, dispatch, request, valid, errors, imageChecks } = useComposer();
  const imagesLoading = imageChecks.pending.length > 0;
  const claid = engines?.available.claid ?? false;
  const engine = engineToUse(state.engine, engines);
  const count = imagesRequested(request);
  const prompt = doc.scene.prompt;
  const problems = problemsOf(
    errors,
    {
      product: doc.imageUrl === "",
      prompt: prompt === "" || (typeof prompt === "object" && prompt.generate !== true && !prompt.text),
    },
    new Set(imageChecks.problems.map((p) => p.field)),
  );

  return (
    <div className="flex flex-col gap-2" data-testid="generate-panel">
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
          ? "Free and instant, the same placement and frame, a simple studio backdrop: not AI."
          : `Claid generates the scene with AI and bills every image (${count} this run).`}
        {!claid && engines ? " Claid is not set up on this server." : ""}
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
        <div id="generate-blocked" className="text-xs text-ink-muted" data-testid="generate-blocked">
          {doc.imageUrl === "" ? <p>Add a product image to generate.</p> : null}
          {problems.length === 0 && imageChecks.problems.length === 0 && doc.imageUrl !== "" ? (
            <p>Checking the request…</p>
          ) : null}
          {problems.length ? (
            <ul
              className="flex max-h-24 flex-col gap-0.5 overflow-y-auto"
              aria-label="To fix before generating"
            >
              {problems.map((p) => (
                <li key={p.key}>
                  <ProblemItem problem={p} />
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {error ? (
        <p className="rounded-md bg-danger-soft px-2 py-1.5 text-xs text-danger" role="alert">
          {startFailure(error)}
        </p>
      ) : null}
    </div>
  );
}
