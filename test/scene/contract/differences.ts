/**
 * Where our contract deliberately judges differently from the published JSON schema, and how to take
 * each difference out of a body. A disagreement between the two judges is acceptable only when taking
 * out the listed differences makes them agree.
 */
import { PROSE_ONLY_ASPECT_RATIOS } from "@/lib/scene/aspect-ratios";
import { parsePadding } from "@/lib/scene/padding";
import { isStorableText } from "@/lib/scene/storable";

type Body = Record<string, unknown>;

function isRecord(value: unknown): value is Body {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export const CONTRACT_DIFFERENCES = [
  {
    name: "aspect ratios of the prose reference are accepted (looser)",
    neutralize(body: Body) {
      const scene = body.scene;
      if (isRecord(scene) && (PROSE_ONLY_ASPECT_RATIOS as readonly unknown[]).includes(scene.aspect_ratio))
        scene.aspect_ratio = "1:1";
    },
  },
  {
    name: "prompt.generate: true forbids prompt.text; guidelines need generate: true (stricter)",
    neutralize(body: Body) {
      const prompt = isRecord(body.scene) ? body.scene.prompt : undefined;
      if (!isRecord(prompt)) return;
      if (prompt.generate === true) delete prompt.text;
      if (prompt.generate !== true) delete prompt.guidelines;
    },
  },
  {
    name: 'padding must read as "P" or "V H" (%, bare number or px) and be at most half the frame (stricter)',
    neutralize(body: Body) {
      const object = body.object;
      if (isRecord(object) && typeof object.padding === "string") {
        const parsed = parsePadding(object.padding);
        if (!parsed.ok || !parsed.withinHalf) object.padding = "10%";
      }
    },
  },
  {
    name: "strings are text a database can hold: no NUL and no unpaired surrogate (stricter)",
    neutralize(body: Body) {
      const clean = (value: unknown): unknown => {
        if (typeof value === "string")
          return isStorableText(value) ? value : value.replace(/[\u0000\uD800-\uDFFF]/gu, "x");
        if (Array.isArray(value)) return value.map(clean);
        if (isRecord(value)) {
          for (const key of Object.keys(value)) value[key] = clean(value[key]);
          return value;
        }
        return value;
      };
      clean(body);
    },
  },
] as const;

export function neutralize(body: unknown): unknown {
  const copy = structuredClone(body);
  if (isRecord(copy)) for (const difference of CONTRACT_DIFFERENCES) difference.neutralize(copy);
  return copy;
}
