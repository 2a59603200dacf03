"use client";

import { useState } from "react";

import { controlClass } from "./field";

/**
 * A number field that lets people type freely ("0.", "-", "") and commits each parseable value; it
 * shows the committed value again when it loses focus, so what stays on screen is what is sent.
 */
export function NumberInput({
  id,
  value,
  onCommit,
  onBlur,
  step,
  min,
  max,
  describedBy,
  invalid,
  disabled,
  placeholder,
  suffix,
}: {
  id: string;
  value: number | undefined;
  onCommit: (value: number | undefined) => void;
  onBlur?: () => void;
  step?: number;
  min?: number;
  max?: number;
  describedBy?: string;
  invalid?: boolean;
  disabled?: boolean;
  placeholder?: string;
  suffix?: string;
}) {
  const shown = value === undefined ? "" : String(value);
  const [text, setText] = useState(shown);
  const [editing, setEditing] = useState(false);
  return (
    <div className="relative">
      <input
        id={id}
        type="number"
        inputMode="decimal"
        className={`${controlClass} tabular-nums ${suffix ? "pr-6" : ""}`}
        value={editing ? text : shown}
        step={step}
        min={min}
        max={max}
        placeholder={placeholder}
        disabled={disabled}
        aria-describedby={describedBy}
        aria-invalid={invalid || undefined}
        onFocus={() => {
          setText(shown);
          setEditing(true);
        }}
        onChange={(event) => {
          setText(event.target.value);
          const raw = event.target.value.trim();
          if (raw === "") onCommit(undefined);
          else if (Number.isFinite(Number(raw))) onCommit(Number(raw));
        }}
        onBlur={() => {
          setEditing(false);
          onBlur?.();
        }}
      />
      {suffix ? (
        <span aria-hidden className="pointer-events-none absolute top-1.5 right-2 text-xs text-ink-muted">
          {suffix}
        </span>
      ) : null}
    </div>
  );
}
