"use client";

import dynamic from "next/dynamic";
import { useId, useRef, useState } from "react";

import { Button, buttonClass } from "@/components/ui/button";
import { controlClass } from "@/components/ui/field";
import { formatBytes, lacksTransparency } from "@/lib/composer/images";
import { UPLOAD_TYPES } from "@/lib/composer/intake";

import { useComposer } from "./composer-context";
import type { ImageIntake, Slot } from "./use-image-intake";

const ACCEPT = UPLOAD_TYPES.join(",");

// Only a product without transparency (or a cutout) needs it: not part of the first paint.
const BackgroundRemoval = dynamic(() => import("./background-removal"), { ssr: false, loading: () => null });

function SlotCard({ slot, title, intake }: { slot: Slot; title: string; intake: ImageIntake }) {
  const { state, doc, dispatch, errors } = useComposer();
  const id = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const [url, setUrl] = useState("");
  const [showUrl, setShowUrl] = useState(false);
  const imageUrl = slot === "product" ? doc.imageUrl : (doc.scene.template_url ?? "");
  const meta = imageUrl ? state.images[imageUrl] : undefined;
  const status = intake.status[slot];
  const fieldError =
    slot === "product"
      ? errors["object.image_url"]
      : doc.kind === "template"
        ? errors["scene.template_url"]
        : undefined;

  return (
    <div className="flex flex-col gap-2" data-slot={slot}>
      <div className="flex items-center justify-between">
        <h3 className="text-xs font-medium text-ink-soft">{title}</h3>
        {imageUrl ? (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => dispatch({ type: slot === "product" ? "clearProduct" : "clearTemplate" })}
            aria-label={`Remove ${title.toLowerCase()}`}
          >
            Remove
          </Button>
        ) : null}
      </div>
      <div
        className={`relative flex min-h-20 items-center gap-3 rounded-lg border border-canvas-line p-2 ${
          imageUrl ? "bg-canvas-panel" : "border-dashed bg-canvas"
        }`}
      >
        {meta ? (
          // eslint-disable-next-line @next/next/no-img-element -- stored files are served by our own route, already sized
          <img
            src={meta.src}
            alt=""
            className="size-16 shrink-0 rounded bg-[conic-gradient(#e5e7eb_25%,#fff_0_50%,#e5e7eb_0_75%,#fff_0)] bg-[length:12px_12px] object-contain"
          />
        ) : null}
        <div className="min-w-0 flex-1 text-xs">
          {status.busy ? (
            <p className="text-ink-soft" role="status">
              Uploading…
            </p>
          ) : meta ? (
            <>
              <p className="font-medium text-ink tabular-nums" data-testid={`${slot}-size`}>
                {meta.width} × {meta.height}
              </p>
              <p className="text-ink-muted">
                {[meta.format?.toUpperCase(), meta.size ? formatBytes(meta.size) : undefined]
                  .filter(Boolean)
                  .join(" · ")}
              </p>
            </>
          ) : imageUrl ? (
            <p className="truncate text-ink-muted" title={imageUrl}>
              {imageUrl}
            </p>
          ) : (
            <p className="text-ink-muted">
              {slot === "product"
                ? "Drop, paste or choose a product cutout"
                : "Drop a scene image here or choose one"}
            </p>
          )}
        </div>
      </div>
      {slot === "product" && meta && lacksTransparency(meta) ? (
        <p
          className="rounded-md bg-draft-soft px-2 py-1.5 text-xs text-draft"
          role="note"
          data-testid="no-alpha-warning"
        >
          This image has no transparent background, so the whole rectangle is placed as the product. Use a
          cutout (PNG or WebP with transparency), or remove the background below, for a natural result.
        </p>
      ) : null}
      {slot === "product" && meta && (lacksTransparency(meta) || meta.cutOutFrom) ? (
        <BackgroundRemoval />
      ) : null}
      {status.error ? (
        <p className="text-xs text-danger" role="alert" data-testid={`${slot}-error`}>
          {status.error}
        </p>
      ) : null}
      {fieldError && !status.error ? (
        // Nothing is wrong yet on a first visit: an empty slot is a next step, not an error.
        <p className={`text-xs ${imageUrl ? "text-danger" : "text-ink-muted"}`}>
          {imageUrl
            ? fieldError
            : slot === "product"
              ? "Add a product image to generate"
              : "Add a template image for a template scene"}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <input
          ref={fileRef}
          id={`${id}-file`}
          type="file"
          accept={ACCEPT}
          className="sr-only"
          data-testid={`${slot}-file`}
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) void intake.addFile(slot, file);
            event.target.value = "";
          }}
        />
        <label
          htmlFor={`${id}-file`}
          className={buttonClass("secondary", "sm", "cursor-pointer focus-within:outline-2")}
        >
          Choose file
        </label>
        <Button size="sm" variant="ghost" aria-expanded={showUrl} onClick={() => setShowUrl((v) => !v)}>
          Import URL
        </Button>
      </div>
      {showUrl ? (
        <form
          className="flex gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            // A failed import keeps the address, to be corrected rather than typed again.
            if (url.trim())
              void intake.addUrl(slot, url.trim()).then((added) => {
                if (added) setUrl("");
              });
          }}
        >
          <label htmlFor={`${id}-url`} className="sr-only">
            {title} image URL
          </label>
          <input
            id={`${id}-url`}
            type="url"
            placeholder="https://…"
            value={url}
            onChange={(event) => setUrl(event.target.value)}
            className={controlClass}
          />
          <Button size="sm" type="submit" variant="secondary" disabled={status.busy}>
            Import
          </Button>
        </form>
      ) : null}
    </div>
  );
}

export function ImageSlots({ intake }: { intake: ImageIntake }) {
  const { doc } = useComposer();
  return (
    <div className="flex flex-col gap-4">
      <SlotCard slot="product" title="Product" intake={intake} />
      {doc.kind === "template" ? <SlotCard slot="template" title="Template" intake={intake} /> : null}
    </div>
  );
}
