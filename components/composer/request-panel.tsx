"use client";

import { useState } from "react";

import { Button } from "@/components/ui/button";
import { controlClass } from "@/components/ui/field";
import { validateRequest } from "@/lib/composer/validation";
import { curlCommand } from "@/lib/scene/curl";

import { useComposer } from "./composer-context";

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** The exact body the composer sends, a cURL command for it, and loading a body back in. */
export function RequestPanel() {
  const { request, dispatch, valid, errors } = useComposer();
  const [copied, setCopied] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const [text, setText] = useState("");
  const [importErrors, setImportErrors] = useState<string[]>([]);
  const json = JSON.stringify(request, null, 2);

  const flash = async (what: string, value: string) => {
    setCopied((await copy(value)) ? what : "Copy failed: select the text instead");
    setTimeout(() => setCopied(null), 1800);
  };

  const load = () => {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      setImportErrors([`Not valid JSON: ${error instanceof Error ? error.message : String(error)}`]);
      return;
    }
    const result = validateRequest(body);
    if (!result.ok) {
      setImportErrors(Object.entries(result.errors).map(([path, message]) => `${path}: ${message}`));
      return;
    }
    dispatch({ type: "loadRequest", request: result.request });
    setImportErrors([]);
    setText("");
    setImporting(false);
  };

  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap gap-2">
        <Button size="sm" onClick={() => void flash("JSON copied", json)}>
          Copy JSON
        </Button>
        <Button
          size="sm"
          onClick={() => void flash("cURL copied", curlCommand(window.location.origin, request))}
        >
          Copy as cURL
        </Button>
        <Button size="sm" variant="ghost" aria-expanded={importing} onClick={() => setImporting((v) => !v)}>
          Import JSON
        </Button>
      </div>
      <p className="min-h-4 text-xs text-ink-muted" role="status">
        {copied ??
          (valid ? "Valid request." : `${Object.keys(errors).length} field(s) to fix before generating.`)}
      </p>
      {importing ? (
        <div className="flex flex-col gap-2">
          <label htmlFor="import-json" className="text-xs font-medium text-ink-soft">
            Paste a scene/create request body
          </label>
          <textarea
            id="import-json"
            rows={8}
            className={`${controlClass} h-auto py-1.5 font-mono text-xs`}
            value={text}
            onChange={(event) => setText(event.target.value)}
            aria-describedby={importErrors.length ? "import-json-errors" : undefined}
            aria-invalid={importErrors.length > 0 || undefined}
          />
          {importErrors.length ? (
            <ul id="import-json-errors" role="alert" className="list-disc pl-4 text-xs text-danger">
              {importErrors.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          ) : null}
          <div className="flex gap-2">
            <Button size="sm" variant="primary" onClick={load} disabled={!text.trim()}>
              Load into composer
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setImporting(false)}>
              Cancel
            </Button>
          </div>
        </div>
      ) : null}
      <pre
        data-testid="request-json"
        tabIndex={0}
        aria-label="Request body"
        className="max-h-80 overflow-auto rounded-md border border-canvas-line bg-canvas p-2 font-mono text-[11px] leading-relaxed text-ink-soft"
      >
        {json}
      </pre>
    </div>
  );
}
