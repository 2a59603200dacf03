"use client";

import { useEffect, useMemo, useRef, useState } from "react";

import type { Scene } from "@/lib/scene/contract";
import type { Size } from "@/lib/scene/placement";
import { backdropPreviewHref } from "@/lib/scene/preview-link";

/** Typing a prompt changes the scene on every key; the preview is asked for once typing pauses. */
const SETTLE_MS = 350;
const KEPT = 24;

/** Previews already loaded, by link: undo, redo and switching kinds back show them at once. */
const loaded = new Map<string, HTMLImageElement>();

function remember(href: string, image: HTMLImageElement) {
  loaded.delete(href);
  loaded.set(href, image);
  for (const oldest of loaded.keys()) {
    if (loaded.size <= KEPT) break;
    loaded.delete(oldest);
  }
}

export type BackdropPreview = { image: HTMLImageElement; href: string };

/**
 * The local engine's backdrop for `scene` in `frame` (see `lib/scene/preview-link.ts`), refreshed when
 * either changes. The previous picture stays up while the next one loads, as long as the frame keeps
 * its size (a picture for another shape would be drawn stretched); a failed load shows the paper.
 */
export function useBackdropPreview(scene: Scene | undefined, frame: Size): BackdropPreview | undefined {
  const href = useMemo(() => (scene ? backdropPreviewHref(scene, frame) : undefined), [scene, frame]);
  const frameKey = `${frame.width}x${frame.height}`;
  const [last, setLast] = useState<(BackdropPreview & { frame: string }) | undefined>();
  const [failed, setFailed] = useState<string | undefined>();
  // The first picture is asked for at once; later ones once the scene has settled.
  const settled = useRef(false);

  useEffect(() => {
    if (!href || loaded.has(href)) return;
    let cancelled = false;
    const timer = window.setTimeout(
      () => {
        const image = new window.Image();
        image.onload = () => {
          remember(href, image);
          if (!cancelled) setLast({ image, href, frame: frameKey });
        };
        image.onerror = () => {
          if (!cancelled) setFailed(href);
        };
        image.src = href;
      },
      settled.current ? SETTLE_MS : 0,
    );
    settled.current = true;
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [href, frameKey]);

  if (!href) return undefined;
  const known = loaded.get(href);
  if (known) return { image: known, href };
  // A scene the engine refused shows its paper, not the last scene's picture.
  if (failed === href || !last || last.frame !== frameKey) return undefined;
  return { image: last.image, href: last.href };
}
