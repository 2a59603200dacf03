"use client";

import { Button } from "@/components/ui/button";
import { QueryProvider } from "@/lib/client/query-provider";
import { useEngines } from "@/lib/client/use-engines";
import { heldImageUrl, lacksTransparency } from "@/lib/composer/images";

import { useComposer } from "./composer-context";
import { useBackgroundRemoval } from "./use-background-removal";

const CHECKERBOARD = "bg-[conic-gradient(#e5e7eb_25%,#fff_0_50%,#e5e7eb_0_75%,#fff_0)] bg-[length:12px_12px]";

/**
 * The product slot's background removal, loaded once a product needs it: "Remove background" on a
 * Draft (free, local, plain backgrounds) or with Claid (billed, any background) for an image without
 * transparency; before and after, and the way back, once the product is a cutout.
 */
export default function BackgroundRemoval() {
  return (
    <QueryProvider>
      <Removal />
    </QueryProvider>
  );
}

function Removal() {
  const { state, doc, dispatch } = useComposer();
  const meta = doc.imageUrl ? state.images[doc.imageUrl] : undefined;
  const removal = useBackgroundRemoval({ url: doc.imageUrl, meta }, dispatch);
  const engines = useEngines().data;
  if (!meta) return null;

  const original = meta.cutOutFrom;
  if (original) {
    return (
      <section
        aria-label="Background removed"
        className="flex flex-col gap-2 rounded-md border border-canvas-line p-2"
        data-testid="background-removed"
      >
        <div className="grid grid-cols-2 gap-2 text-[11px] text-ink-muted">
          <figure className="flex flex-col gap-1">
            {/* eslint-disable-next-line @next/next/no-img-element -- our own stored file, already small */}
            <img
              src={original.src}
              alt="Before: the original image"
              className="h-20 w-full rounded bg-canvas object-contain"
            />
            <figcaption>Before</figcaption>
          </figure>
          <figure className="flex flex-col gap-1">
            {/* eslint-disable-next-line @next/next/no-img-element -- our own stored file, already small */}
            <img
              src={meta.src}
              alt="After: the cutout"
              className={`h-20 w-full rounded object-contain ${CHECKERBOARD}`}
            />
            <figcaption>After · {original.engine === "local" ? "Draft cutout" : "Claid cutout"}</figcaption>
          </figure>
        </div>
        <Button
          size="sm"
          variant="ghost"
          onClick={() => removal.restore(original.url, state.images[original.url])}
          data-testid="undo-background-removal"
        >
          Undo: use the original
        </Button>
      </section>
    );
  }

  if (!lacksTransparency(meta) || !heldImageUrl(doc.imageUrl, meta)) return null;
  const claid = engines?.available.claid ?? false;
  const units = engines?.imageEditUnits ?? 1;
  const working = removal.state.kind === "working";
  return (
    <section
      aria-label="Remove background"
      className="flex flex-col gap-2 rounded-md border border-canvas-line p-2"
      data-testid="background-removal"
    >
      <h4 className="text-xs font-medium text-ink-soft">Remove background</h4>
      <div className="grid gap-1.5">
        <Button
          size="sm"
          variant="secondary"
          disabled={working}
          onClick={() => void removal.remove("local")}
          data-testid="remove-background-local"
        >
          Draft · free
        </Button>
        <Button
          size="sm"
          variant={removal.state.kind === "failed" && removal.state.tryClaid ? "primary" : "secondary"}
          disabled={working || !claid}
          onClick={() => void removal.remove("claid")}
          data-testid="remove-background-claid"
          title={claid ? undefined : "Claid is not configured on this server"}
        >
          Claid · {units === 0 ? "outside your budget" : `${units} of your daily Claid images`}
        </Button>
      </div>
      {removal.state.kind === "working" ? (
        <p className="text-xs text-ink-muted" role="status">
          Removing the background {removal.state.engine === "local" ? "here" : "with Claid"}…
        </p>
      ) : null}
      {removal.state.kind === "failed" ? (
        <p className="text-xs text-danger" role="alert" data-testid="background-removal-error">
          {removal.state.message}
        </p>
      ) : null}
    </section>
  );
}
