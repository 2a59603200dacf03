import { controlClass, Field } from "./field";

export type Choice<V extends string> = { value: V; label: string };

/**
 * A select whose first option can mean "leave it out of the request" (the API's default applies),
 * which is how optional schema fields are offered.
 */
export function SelectField<V extends string>({
  id,
  label,
  value,
  choices,
  onChange,
  defaultLabel,
  hint,
  error,
}: {
  id: string;
  label: string;
  value: V | undefined;
  choices: readonly Choice<V>[];
  onChange: (value: V | undefined) => void;
  /** When set, an extra first option that removes the field. */
  defaultLabel?: string;
  hint?: string;
  error?: string;
}) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      {(describedBy, invalid) => (
        <select
          id={id}
          className={controlClass}
          value={value ?? ""}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          onChange={(event) => onChange(event.target.value === "" ? undefined : (event.target.value as V))}
        >
          {defaultLabel !== undefined ? <option value="">{defaultLabel}</option> : null}
          {choices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function choices<V extends string>(
  values: readonly V[],
  label: (v: V) => string = (v) => v,
): Choice<V>[] {
  return values.map((value) => ({ value, label: label(value) }));
}
