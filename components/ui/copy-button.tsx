"use client";

import { useState } from "react";

import { Button } from "./button";

/**
 * Copies `text` to the clipboard and says so for a moment; `label` names what is copied for screen
 * readers when several Copy buttons share a page.
 */
export function CopyButton({
  text,
  label = "Copy",
  name,
  variant = "secondary",
}: {
  text: string;
  label?: string;
  name?: string;
  variant?: "secondary" | "ghost";
}) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      // Without clipboard access (an insecure origin, a denied permission) the text stays selectable.
      setState("failed");
    }
    setTimeout(() => setState("idle"), 1500);
  }
  return (
    <Button
      size="sm"
      variant={variant}
      onClick={() => void copy()}
      aria-label={name ? `${label} ${name}` : label}
    >
      <span aria-live="polite">
        {state === "copied" ? "Copied" : state === "failed" ? "Select and copy it" : label}
      </span>
    </Button>
  );
}
