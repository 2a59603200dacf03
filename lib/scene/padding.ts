/**
 * `padding` on `placement_type: "padding"`: `"P"` on all four sides or `"PV PH"` (vertical, then
 * horizontal), CSS-like. A value is a percentage of the frame side (a bare number or with `%`), or
 * pixels when it ends in `px`. The contract states in words that it "can not be bigger than half of the
 * image width/height"; percentages are checked here, pixels only once the frame size is known.
 */
export type PaddingValue = { value: number; unit: "%" | "px" };
export type Padding = { vertical: PaddingValue; horizontal: PaddingValue };

const VALUE = /^(\d+(?:\.\d+)?|\.\d+)(%|px)?$/;

function parseValue(token: string): PaddingValue | undefined {
  const match = VALUE.exec(token);
  if (!match) return undefined;
  return { value: Number(match[1]), unit: match[2] === "px" ? "px" : "%" };
}

export type ParsedPadding =
  { ok: true; padding: Padding; withinHalf: boolean } | { ok: false; withinHalf: true; padding?: undefined };

export function parsePadding(input: string): ParsedPadding {
  const tokens = input.trim().split(/\s+/);
  if (tokens.length < 1 || tokens.length > 2 || tokens[0] === "") return { ok: false, withinHalf: true };
  const vertical = parseValue(tokens[0] ?? "");
  const horizontal = tokens.length === 2 ? parseValue(tokens[1] ?? "") : vertical;
  if (!vertical || !horizontal) return { ok: false, withinHalf: true };
  const half = (p: PaddingValue) => p.unit === "px" || p.value <= 50;
  return { ok: true, padding: { vertical, horizontal }, withinHalf: half(vertical) && half(horizontal) };
}

export function formatPadding(padding: Padding): string {
  const one = (p: PaddingValue) => `${p.value}${p.unit}`;
  const v = one(padding.vertical);
  const h = one(padding.horizontal);
  return v === h ? v : `${v} ${h}`;
}

/** Padding in frame pixels: percentages are of the frame height (vertical) and width (horizontal). */
export function paddingInPixels(padding: Padding, frame: { width: number; height: number }) {
  const px = (p: PaddingValue, side: number) => (p.unit === "px" ? p.value : (p.value / 100) * side);
  return { vertical: px(padding.vertical, frame.height), horizontal: px(padding.horizontal, frame.width) };
}
