"use client";

import { useEffect, useState } from "react";

import { isTyping } from "./typing";
import type { ImageIntake, Slot } from "./use-image-intake";

/** The first image among dropped or pasted files, else the first file (so it can be told why not). */
function fileOf(items: DataTransferItemList | FileList | undefined | null): File | undefined {
  if (!items) return undefined;
  const list: (DataTransferItem | File)[] = Array.from(items as ArrayLike<DataTransferItem | File>);
  const files = list
    .map((item) => (item instanceof File ? item : item.kind === "file" ? item.getAsFile() : null))
    .filter((file): file is File => file !== null);
  return files.find((file) => file.type.startsWith("image/")) ?? files[0];
}

/**
 * A file dropped anywhere becomes the product, unless it is dropped on the template slot; a pasted
 * image, or a pasted image address, becomes the product. A file that is not an image is refused in the
 * slot, saying so. Returns the slot a drag is over, for the drop hint.
 */
export function useFileDrop(intake: ImageIntake): Slot | null {
  const [dropTarget, setDropTarget] = useState<Slot | null>(null);
  useEffect(() => {
    const slotAt = (target: EventTarget | null): Slot =>
      target instanceof Element && target.closest("[data-slot=template]") ? "template" : "product";
    const onDragOver = (event: DragEvent) => {
      if (!event.dataTransfer?.types.includes("Files")) return;
      event.preventDefault();
      setDropTarget(slotAt(event.target));
    };
    const onDragLeave = (event: DragEvent) => {
      if (event.relatedTarget === null) setDropTarget(null);
    };
    const onDrop = (event: DragEvent) => {
      event.preventDefault();
      setDropTarget(null);
      const file = fileOf(event.dataTransfer?.files);
      if (file) void intake.addFile(slotAt(event.target), file);
    };
    const onPaste = (event: ClipboardEvent) => {
      if (isTyping(event.target)) return;
      const file = fileOf(event.clipboardData?.items);
      // A pasted image address is imported by the server, like "Import URL".
      const text = file ? "" : (event.clipboardData?.getData("text/plain").trim() ?? "");
      if (!file && !/^https?:\/\/\S+$/i.test(text)) return;
      event.preventDefault();
      void (file ? intake.addFile("product", file) : intake.addUrl("product", text));
    };
    window.addEventListener("dragover", onDragOver);
    window.addEventListener("dragleave", onDragLeave);
    window.addEventListener("drop", onDrop);
    window.addEventListener("paste", onPaste);
    return () => {
      window.removeEventListener("dragover", onDragOver);
      window.removeEventListener("dragleave", onDragLeave);
      window.removeEventListener("drop", onDrop);
      window.removeEventListener("paste", onPaste);
    };
  }, [intake]);
  return dropTarget;
}
