"use client";

import { useEffect } from "react";

import type { ComposerAction } from "@/lib/composer/reducer";
import { keyAction } from "@/lib/composer/shortcuts";

import { isTyping } from "./typing";

/** The composer's keys, anywhere on the page outside text fields, dialogs and radio groups. */
export function useComposerShortcuts(dispatch: (action: ComposerAction) => void) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || isTyping(event.target)) return;
      if (event.target instanceof HTMLElement && event.target.closest("dialog,[role=radiogroup]")) return;
      const action = keyAction(event);
      if (!action) return;
      event.preventDefault();
      dispatch(action);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [dispatch]);
}
