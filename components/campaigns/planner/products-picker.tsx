"use client";

import { useRef, useState } from "react";

import { Button } from "@/components/ui/button";
import { uploadFile } from "@/lib/client/images";
import { failureMessage } from "@/lib/client/request";
import { fileHref, storedImageKey, storedImageUrl } from "@/lib/scene/image-ref";

import type { PlannedProduct } from "./plan-state";

/** A file's name as a product name: "red-shoe_v2.png" → "red shoe v2". */
function nameOf(file: string): string {
  return (
    file
      .replace(/\.[a-z0-9]+$/i, "")
      .replace(/[-_]+/g, " ")
      .trim() || "product"
  );
}

export function thumbOf(imageUrl: string): string | undefined {
  const key = storedImageKey(imageUrl);
  return key ? fileHref(key) : undefined;
}

/** The products axis: images uploaded here, or the composer's current product. */
export function ProductsPicker({
  products,
  composerProduct,
  onChange,
}: {
  products: PlannedProduct[];
  composerProduct: string | undefined;
  onChange: (products: PlannedProduct[]) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const has = (url: string) => products.some((p) => p.image_url === url);

  async function upload(files: FileList | null) {
    if (!files?.length) return;
    setBusy(true);
    setError(undefined);
    const added: PlannedProduct[] = [];
    try {
      for (const file of Array.from(files)) {
        const uploaded = await uploadFile(file);
        const image_url = storedImageUrl(uploaded.key);
        if (!has(image_url))
          added.push({ image_url, name: nameOf(file.name), thumbUrl: fileHref(uploaded.key) });
      }
    } catch (failure) {
      setError(failureMessage(failure, "The image could not be uploaded"));
    } finally {
      setBusy(false);
      if (added.length) onChange([...products, ...added]);
      if (input.current) input.current.value = "";
    }
  }

  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap gap-2">
        <input
          ref={input}
          id="campaign-product-files"
          type="file"
          accept="image/png,image/jpeg,image/webp,image/avif"
          multiple
          className="sr-only"
          aria-label="Upload product images"
          onChange={(event) => void upload(event.target.files)}
        />
        <Button onClick={() => input.current?.click()} disabled={busy}>
          {busy ? "Uploading…" : "Upload product images"}
        </Button>
        {composerProduct && !has(composerProduct) ? (
          <Button
            onClick={() =>
              onChange([
                ...products,
                { image_url: composerProduct, name: "composer product", thumbUrl: thumbOf(composerProduct) },
              ])
            }
          >
            Use the composer&apos;s product
          </Button>
        ) : null}
      </div>
      {error ? (
        <p role="alert" className="text-xs text-danger">
          {error}
        </p>
      ) : null}
      {products.length === 0 ? <p className="text-xs text-ink-muted">No products yet.</p> : null}
      <ul className="flex flex-wrap gap-2" aria-label="Products">
        {products.map((product, index) => (
          <li
            key={product.image_url}
            className="flex w-28 flex-col gap-1 rounded-md border border-canvas-line bg-canvas-panel p-1.5"
          >
            <div className="aspect-square overflow-hidden rounded bg-canvas">
              {product.thumbUrl ? (
                // A stored upload served by our own file route; small enough as it is.
                // eslint-disable-next-line @next/next/no-img-element
                <img src={product.thumbUrl} alt="" className="size-full object-contain" />
              ) : null}
            </div>
            <input
              aria-label={`Name of product ${index + 1}`}
              className="h-6 rounded border border-canvas-line px-1 text-xs"
              value={product.name}
              onChange={(event) =>
                onChange(products.map((p, i) => (i === index ? { ...p, name: event.target.value } : p)))
              }
            />
            <Button
              size="sm"
              variant="ghost"
              onClick={() => onChange(products.filter((_, i) => i !== index))}
            >
              Remove
            </Button>
          </li>
        ))}
      </ul>
    </div>
  );
}
