"use client";

import { useComposer } from "@/components/composer/composer-context";
import { Field } from "@/components/ui/field";
import { NumberInput } from "@/components/ui/number-input";
import { choices, SelectField } from "@/components/ui/select-field";
import { TextField } from "@/components/ui/text-field";
import { errorFor } from "@/lib/composer/field-errors";
import { labelOf } from "@/lib/composer/fields";
import type { FormatName, OutputFormat, OutputOptions } from "@/lib/scene/contract";
import { formatLabel } from "@/lib/scene/rules";
import {
  COMPRESSION_TYPES,
  CONTRACT_DEFAULT_NUMBER_OF_IMAGES,
  OUTPUT_FORMATS,
  PNG_COMPRESSIONS,
} from "@/lib/scene/vocabulary";

import { Advanced } from "./advanced";

type Compression = NonNullable<Extract<OutputFormat, { type: "webp" }>["compression"]>;

function formatName(format: OutputFormat | undefined): FormatName | undefined {
  return typeof format === "object" ? format.type : format;
}

/** Keeps the lossy/lossless choice and the quality in one of the schema's three shapes. */
function compressionWith(current: Compression | undefined, kind: string | undefined, quality?: number) {
  if (kind === undefined) return undefined;
  if (kind === "lossless")
    return typeof current === "object" ? { type: "lossless" as const } : ("lossless" as const);
  if (quality !== undefined) return { type: "lossy" as const, quality };
  return typeof current === "object" && current.type === "lossy"
    ? { type: "lossy" as const }
    : ("lossy" as const);
}

function FormatOptions({ format, onChange }: { format: OutputFormat; onChange: (f: OutputFormat) => void }) {
  const { errors, dispatch } = useComposer();
  const close = () => dispatch({ type: "closeStep" });
  if (typeof format === "string" && format === "tiff") return null;
  const name = formatName(format);
  const options = typeof format === "object" ? format : undefined;
  if (name === "jpeg") {
    const jpeg = options?.type === "jpeg" ? options : { type: "jpeg" as const };
    return (
      <div className="grid grid-cols-2 gap-2">
        <Field id="output-jpeg-quality" label="Quality" error={errorFor(errors, "output.format.quality")}>
          {(describedBy, invalid) => (
            <NumberInput
              id="output-jpeg-quality"
              value={jpeg.quality}
              min={1}
              max={100}
              placeholder="85"
              describedBy={describedBy}
              invalid={invalid}
              onCommit={(quality) => onChange({ ...jpeg, quality })}
              onBlur={close}
            />
          )}
        </Field>
        <SelectField
          id="output-jpeg-progressive"
          label="Progressive loading"
          value={jpeg.progressive === undefined ? undefined : jpeg.progressive ? "yes" : "no"}
          choices={[
            { value: "yes", label: "Yes" },
            { value: "no", label: "No" },
          ]}
          defaultLabel="Yes (default)"
          onChange={(v) => onChange({ ...jpeg, progressive: v === undefined ? undefined : v === "yes" })}
        />
      </div>
    );
  }
  if (name === "png") {
    const png = options?.type === "png" ? options : { type: "png" as const };
    return (
      <SelectField
        id="output-png-compression"
        label="PNG compression"
        value={png.compression}
        choices={choices(
          PNG_COMPRESSIONS,
          (c) => ({ fast: "Fast, larger file", optimal: "Balanced", best: "Smallest file, slower" })[c],
        )}
        defaultLabel="Balanced (default)"
        onChange={(compression) => onChange({ ...png, compression })}
      />
    );
  }
  if (name === "webp" || name === "avif") {
    const current =
      options && (options.type === "webp" || options.type === "avif") ? options.compression : undefined;
    const kind = typeof current === "object" ? current.type : current;
    const quality = typeof current === "object" && current.type === "lossy" ? current.quality : undefined;
    const set = (compression: Compression | undefined) => onChange({ type: name, compression });
    return (
      <div className="grid grid-cols-2 gap-2">
        <SelectField
          id="output-compression"
          label="Compression"
          value={kind}
          choices={choices(COMPRESSION_TYPES, (c) =>
            c === "lossy" ? "Smaller file (lossy)" : "Exact pixels (lossless)",
          )}
          defaultLabel={`Smaller file, quality ${name === "webp" ? 75 : 50} (default)`}
          onChange={(k) => set(compressionWith(current, k))}
        />
        {kind === "lossy" ? (
          <Field id="output-quality" label="Quality" error={errorFor(errors, "output.format.compression")}>
            {(describedBy, invalid) => (
              <NumberInput
                id="output-quality"
                value={quality}
                min={1}
                max={100}
                placeholder={name === "webp" ? "75" : "50"}
                describedBy={describedBy}
                invalid={invalid}
                onCommit={(q) => set(compressionWith(current, "lossy", q))}
                onBlur={close}
              />
            )}
          </Field>
        ) : null}
      </div>
    );
  }
  return null;
}

function optionsOf(output: OutputOptions | string | undefined): OutputOptions {
  if (output === undefined) return {};
  return typeof output === "string" ? { destination: output } : output;
}

export function OutputForm() {
  const { doc, dispatch, errors } = useComposer();
  const output = optionsOf(doc.output);
  const count = output.number_of_images;
  const format = output.format;
  const destinationError =
    errors["output.destination"] ?? (typeof doc.output === "string" ? errors.output : undefined);
  const images = count ?? CONTRACT_DEFAULT_NUMBER_OF_IMAGES;
  return (
    <div className="flex flex-col gap-3" data-testid="output-form">
      <SelectField
        id="output-count"
        label={labelOf("output.number_of_images")}
        value={count === undefined ? undefined : String(count)}
        choices={["1", "2", "3", "4"].map((v) => ({ value: v, label: v }))}
        defaultLabel={`Claid's default (${CONTRACT_DEFAULT_NUMBER_OF_IMAGES})`}
        onChange={(v) =>
          dispatch({ type: "setNumberOfImages", count: v === undefined ? undefined : Number(v) })
        }
        error={errors["output.number_of_images"]}
        hint={
          images > 1
            ? `Claid bills each image: ${images} cost ${images}× one. Drafts are free.`
            : "Claid bills each image; drafts are free."
        }
      />
      <SelectField
        id="output-format"
        label={labelOf("output.format")}
        value={formatName(format)}
        choices={choices(OUTPUT_FORMATS, formatLabel)}
        defaultLabel="PNG (default)"
        onChange={(name) => dispatch({ type: "setFormat", format: name })}
        error={errorFor(errors, "output.format")}
      />
      {format !== undefined ? (
        <FormatOptions format={format} onChange={(f) => dispatch({ type: "setFormat", format: f })} />
      ) : null}
      <Advanced id="output-advanced" hasError={Boolean(destinationError)}>
        <TextField
          id="output-destination"
          label={`${labelOf("output.destination")} (optional)`}
          value={output.destination ?? ""}
          placeholder="storage://storage-name/path/"
          onChange={(destination) => dispatch({ type: "setDestination", destination })}
          onBlur={() => dispatch({ type: "closeStep" })}
          hint="Write the images to a storage this server has configured, instead of keeping them here."
          error={destinationError}
        />
      </Advanced>
    </div>
  );
}
