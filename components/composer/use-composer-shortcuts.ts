"use client";

import { useEffect } from "react";

import type { ComposerAction } from "@/lib/composer/reducer";
import { keyAction } from "@/lib/composer/shortcuts";

import { isTyping } from "./typing";

/**
 * The composer's keys, anywhere on the page. Text fields, dialogs and radio groups keep their own keys;
 * there only Ctrl/Cmd + = / − / 0 count, which zoom the canvas rather than the browser's page.
 */
export function useComposerShortcuts(dispatch: (action: ComposerAction) => void) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented) return;
      const typing =
        isTyping(event.target) ||
        (event.target instanceof HTMLElement && event.target.closest("dialog,[role=radiogroup]") !== null);
      const action = keyAction(event, { typing });
      if (!action) return;
      event.preventDefault();
      dispatch(action);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [dispatch]);
}
