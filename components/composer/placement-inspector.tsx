"use client";

import { useSyncExternalStore } from "react";

import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { NumberInput } from "@/components/ui/number-input";
import { Segmented } from "@/components/ui/segmented";
import { TextField } from "@/components/ui/text-field";
import { labelOf } from "@/lib/composer/fields";
import type { PlacementField } from "@/lib/composer/reducer";
import type { PlacementType } from "@/lib/scene/contract";
import { absoluteValuesOf } from "@/lib/scene/placement";

import { useComposer } from "./composer-context";
import type { LivePlacement } from "./live-placement";

const noSubscription = () => () => undefined;
const noValue = () => null;

const TYPES = [
  { value: "absolute", label: "Free" },
  { value: "padding", label: "With margin" },
  { value: "original", label: "As in image" },
] as const satisfies readonly { value: PlacementType; label: string }[];

const FIELDS: {
  field: PlacementField;
  label: string;
  step: number;
  min: number;
  max: number;
  suffix?: string;
}[] = [
  { field: "x", label: "X", step: 0.01, min: 0, max: 1 },
  { field: "y", label: "Y (up)", step: 0.01, min: 0, max: 1 },
  { field: "scale", label: "Scale", step: 0.01, min: 0.01, max: 1 },
  { field: "rotation", label: "Rotation", step: 1, min: 0, max: 360, suffix: "°" },
];

export function PlacementInspector({ live }: { live?: LivePlacement }) {
  const { doc, dispatch, errors } = useComposer();
  const during = useSyncExternalStore(live?.subscribe ?? noSubscription, live?.get ?? noValue, noValue);
  const values = during ?? absoluteValuesOf(doc.absolute);
  const errorOf: Record<PlacementField, string | undefined> = {
    x: errors["object.position.x"],
    y: errors["object.position.y"],
    scale: errors["object.scale"],
    rotation: errors["object.rotation_degree"],
  };
  return (
    <div className="flex flex-col gap-3" data-testid="placement-inspector">
      <Segmented
        label="How the product is placed"
        name="placement-type"
        value={doc.placement}
        options={TYPES}
        onChange={(placement) => dispatch({ type: "setPlacementType", placement })}
      />
      {doc.placement === "absolute" ? (
        <>
          <div className="grid grid-cols-2 gap-2">
            {FIELDS.map((f) => (
              <Field key={f.field} id={`placement-${f.field}`} label={f.label} error={errorOf[f.field]}>
                {(describedBy, invalid) => (
                  <NumberInput
                    id={`placement-${f.field}`}
                    value={f.field === "rotation" ? values.rotation : values[f.field]}
                    step={f.step}
                    min={f.min}
                    max={f.max}
                    suffix={f.suffix}
                    describedBy={describedBy}
                    invalid={invalid}
                    onCommit={(value) => {
                      if (value !== undefined) dispatch({ type: "setPlacementValue", field: f.field, value });
                    }}
                    onBlur={() => dispatch({ type: "closeStep" })}
                  />
                )}
              </Field>
            ))}
          </div>
          <div className="flex items-center justify-between gap-2">
            <p className="text-xs text-ink-muted">
              Position is the product&apos;s centre in the frame (0–1, y from the bottom). Scale 1 fits the
              frame.
            </p>
            <Button size="sm" variant="ghost" onClick={() => dispatch({ type: "resetPlacement" })}>
              Reset
            </Button>
          </div>
        </>
      ) : null}
      {doc.placement === "padding" ? (
        <TextField
          id="object-padding"
          label={labelOf("object.padding")}
          value={doc.padding}
          placeholder="10% or 10% 20% or 40px"
          onChange={(padding) => dispatch({ type: "setPadding", padding })}
          onBlur={() => dispatch({ type: "closeStep" })}
          hint='The space kept around the product: one value for all sides, or "top/bottom left/right"; percent of the frame, or px.'
          error={errors["object.padding"]}
        />
      ) : null}
      {doc.placement === "original" ? (
        <p className="text-xs text-ink-muted">
          The product stays exactly where it is in its image, and the frame takes that image&apos;s size.
          Nothing to move.
        </p>
      ) : null}
    </div>
  );
}
