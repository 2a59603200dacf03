"use client";

import type { InputHTMLAttributes } from "react";

import { controlClass, Field } from "@/components/ui/field";

/** A labelled input of any type (email, password…) with its field error. */
export function LabelledInput({
  id,
  label,
  hint,
  error,
  ...props
}: InputHTMLAttributes<HTMLInputElement> & { id: string; label: string; hint?: string; error?: string }) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      {(describedBy, invalid) => (
        <input
          id={id}
          name={id}
          className={controlClass}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          {...props}
        />
      )}
    </Field>
  );
}
