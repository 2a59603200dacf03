/**
 * Labels that tell compared generations apart: the prompt words one has and the others lack, then
 * engine, ratio and time, and any other key option that differs between them. Pure, so it is tested
 * without a browser.
 */
import type { Generation } from "@/lib/scene/generation";

import { keyOptions, promptOf } from "./describe";

export type CompareLabel = { title: string; facts: string[] };

type Compared = Pick<Generation, "request" | "engine" | "createdAt">;

const ENGINE_LABELS: Record<Generation["engine"], string> = { local: "Draft", claid: "Claid" };

function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}#]+/gu) ?? [];
}

/** The words of `text` that are not in every one of `all`, in their order, each once. */
function differingWords(text: string, all: readonly string[][]): string[] {
  const common = new Set(wordsOf(text).filter((word) => all.every((words) => words.includes(word))));
  return [...new Set(wordsOf(text).filter((word) => !common.has(word)))];
}

function timeOf(iso: string, sameDay: boolean): string {
  return new Date(iso).toLocaleString(
    undefined,
    sameDay ? { timeStyle: "medium" } : { dateStyle: "medium", timeStyle: "short" },
  );
}

export function compareLabels(items: readonly Compared[]): CompareLabel[] {
  const prompts = items.map((item) => promptOf(item.request));
  const words = prompts.map(wordsOf);
  const options = items.map((item) => keyOptions(item.request));
  const days = new Set(items.map((item) => new Date(item.createdAt).toDateString()));
  return items.map((item, i) => {
    const own = differingWords(prompts[i] ?? "", words);
    // Options beyond the ratio (format, image count, placement) only when they tell items apart.
    const otherOptions = (options[i] ?? [])
      .slice(1)
      .filter((option, k) => options.some((o) => o[k + 1] !== option));
    return {
      title: own.length > 0 ? own.join(" ") : items.length > 1 ? "Same prompt" : (prompts[i] ?? ""),
      facts: [
        ENGINE_LABELS[item.engine],
        options[i]?.[0] ?? "",
        timeOf(item.createdAt, days.size === 1),
        ...otherOptions,
      ].filter(Boolean),
    };
  });
}
