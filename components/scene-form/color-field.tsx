"use client";

import { useComposer } from "@/components/composer/composer-context";
import { Button } from "@/components/ui/button";
import { controlClass, Field } from "@/components/ui/field";
import { labelOf } from "@/lib/composer/fields";
import { TRANSPARENT } from "@/lib/scene/vocabulary";

const HEX6 = /^#[0-9a-f]{6}$/i;

/** Background colour: a picker and a hex field kept in step; effect scenes can also be transparent. */
export function ColorField({ allowTransparent, error }: { allowTransparent: boolean; error?: string }) {
  const { doc, dispatch } = useComposer();
  const color = doc.scene.color;
  const transparent = allowTransparent && color === TRANSPARENT;
  const set = (value: string | undefined) => dispatch({ type: "setSceneField", field: "color", value });
  return (
    <div className="flex flex-col gap-2">
      <Field
        id="scene-color"
        label={labelOf("scene.color")}
        error={error}
        hint={transparent && !error ? "Transparent output needs PNG, WebP or AVIF." : undefined}
      >
        {(describedBy, invalid) => (
          <div className="flex items-center gap-2">
            <input
              type="color"
              aria-label="Colour picker"
              className="h-8 w-10 shrink-0 cursor-pointer rounded-md border border-canvas-line bg-transparent p-0.5 disabled:opacity-40"
              value={color && HEX6.test(color) ? color : "#ffffff"}
              disabled={transparent}
              onChange={(event) => set(event.target.value)}
              onBlur={() => dispatch({ type: "closeStep" })}
            />
            <input
              id="scene-color"
              className={`${controlClass} font-mono`}
              value={transparent ? "" : (color ?? "")}
              placeholder={transparent ? "transparent" : "None, e.g. #f4efe6"}
              disabled={transparent}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onChange={(event) => set(event.target.value.trim() || undefined)}
              onBlur={() => dispatch({ type: "closeStep" })}
            />
            {color !== undefined && !transparent ? (
              <Button size="sm" variant="ghost" onClick={() => set(undefined)} aria-label="Clear colour">
                Clear
              </Button>
            ) : null}
          </div>
        )}
      </Field>
      {allowTransparent ? (
        <label className="flex items-center gap-2 text-xs text-ink-soft">
          <input
            type="checkbox"
            className="accent-accent"
            checked={transparent}
            onChange={(event) => set(event.target.checked ? TRANSPARENT : undefined)}
          />
          Transparent background
        </label>
      ) : null}
    </div>
  );
}
