import { expect, test } from "vitest";

import { closeStep, commit, HISTORY_LIMIT, redo, startHistory, undo } from "@/lib/composer/history";

test("equal documents make no step", () => {
  const h = startHistory({ a: 1, b: { c: [1, 2] } });
  expect(commit(h, { b: { c: [1, 2] }, a: 1 })).toBe(h);
});

test("a coalesce key folds edits until another key or closeStep", () => {
  let h = startHistory({ v: 0 });
  h = commit(h, { v: 1 }, "field");
  h = commit(h, { v: 2 }, "field");
  expect(h.past).toEqual([{ v: 0 }]);
  h = commit(h, { v: 3 }, "other");
  expect(h.past).toEqual([{ v: 0 }, { v: 2 }]);
  h = commit(closeStep(h), { v: 4 }, "other");
  expect(h.past).toEqual([{ v: 0 }, { v: 2 }, { v: 3 }]);
});

test("undo then redo returns to the same document; undo ends folding", () => {
  let h = commit(startHistory({ v: 0 }), { v: 1 }, "k");
  h = undo(h);
  expect(h.present).toEqual({ v: 0 });
  h = commit(h, { v: 5 }, "k");
  expect(h.past).toEqual([{ v: 0 }]);
  expect(redo(undo(h)).present).toEqual({ v: 5 });
});

test("history keeps at most HISTORY_LIMIT steps", () => {
  let h = startHistory(0);
  for (let i = 1; i <= HISTORY_LIMIT + 50; i++) h = commit(h, i);
  expect(h.past).toHaveLength(HISTORY_LIMIT);
  expect(h.past[0]).toBe(50);
});
