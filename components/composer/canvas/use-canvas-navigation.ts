"use client";

import type Konva from "konva";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";

import { panCursor, panDelta, startsPan, wheelGesture } from "@/lib/composer/navigation";
import type { ComposerAction } from "@/lib/composer/reducer";
import type { View } from "@/lib/composer/view";
import type { Point } from "@/lib/scene/placement";

import { isTyping } from "../typing";

type Input = {
  containerRef: React.RefObject<HTMLDivElement | null>;
  stageRef: React.RefObject<Konva.Stage | null>;
  dispatch: (action: ComposerAction) => void;
  view: View;
};

/** Space pans only where nothing else wants it: not while typing, not on a focused button. */
function spaceIsFree(target: EventTarget | null, container: HTMLElement | null): boolean {
  if (isTyping(target)) return false;
  if (!(target instanceof HTMLElement) || target === document.body) return true;
  return Boolean(container?.contains(target));
}

/**
 * Figma's ways around the canvas (the rules are in `lib/composer/navigation`): the wheel scrolls,
 * Ctrl/Cmd + wheel zooms at the pointer, space-drag and middle-drag pan. A pan moves the stage itself
 * while the pointer moves and becomes one camera change when it is let go, so the composer does not
 * re-render on every frame of it.
 */
export function useCanvasNavigation({ containerRef, stageRef, dispatch, view }: Input) {
  const [spaceHeld, setSpaceHeld] = useState(false);
  const [panning, setPanning] = useState(false);
  const space = useRef(false);
  const pan = useRef<{ pointer: number; start: Point; delta: Point } | null>(null);
  const productCursor = useRef("");

  const applyCursor = useCallback(() => {
    const element = stageRef.current?.container();
    if (!element) return;
    element.style.cursor =
      panCursor({ spaceHeld: space.current, panning: pan.current !== null }) ?? productCursor.current;
  }, [stageRef]);

  /** The product layer's cursor (move, not-allowed), shown unless a pan's hand is. */
  const setCursor = useCallback(
    (cursor: string) => {
      productCursor.current = cursor;
      applyCursor();
    },
    [applyCursor],
  );

  useEffect(() => {
    const down = (event: KeyboardEvent) => {
      if (event.code !== "Space" || !spaceIsFree(event.target, containerRef.current)) return;
      // Held down, space would scroll the page.
      event.preventDefault();
      if (event.repeat || space.current) return;
      space.current = true;
      setSpaceHeld(true);
      applyCursor();
    };
    const up = (event: KeyboardEvent) => {
      if (event.code !== "Space" || !space.current) return;
      space.current = false;
      setSpaceHeld(false);
      applyCursor();
    };
    const lost = () => {
      space.current = false;
      setSpaceHeld(false);
      applyCursor();
    };
    window.addEventListener("keydown", down);
    window.addEventListener("keyup", up);
    window.addEventListener("blur", lost);
    return () => {
      window.removeEventListener("keydown", down);
      window.removeEventListener("keyup", up);
      window.removeEventListener("blur", lost);
    };
  }, [containerRef, applyCursor]);

  // Capturing listeners on the canvas's box: a pan's pointer never reaches Konva, so it neither drags
  // the product nor grabs a handle.
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const onDown = (event: PointerEvent) => {
      if (!startsPan({ button: event.button, spaceHeld: space.current })) return;
      event.preventDefault();
      event.stopPropagation();
      container.setPointerCapture(event.pointerId);
      pan.current = {
        pointer: event.pointerId,
        start: { x: event.clientX, y: event.clientY },
        delta: { x: 0, y: 0 },
      };
      setPanning(true);
      applyCursor();
    };
    const onMove = (event: PointerEvent) => {
      const current = pan.current;
      if (!current || event.pointerId !== current.pointer) return;
      event.stopPropagation();
      current.delta = panDelta(current.start, { x: event.clientX, y: event.clientY });
      const stage = stageRef.current;
      stage?.position(current.delta);
      stage?.batchDraw();
    };
    const onUp = (event: PointerEvent) => {
      const current = pan.current;
      if (!current || event.pointerId !== current.pointer) return;
      event.stopPropagation();
      pan.current = null;
      setPanning(false);
      applyCursor();
      if (current.delta.x !== 0 || current.delta.y !== 0) dispatch({ type: "panBy", delta: current.delta });
    };
    // A middle click would start the browser's own scrolling (or paste, on Linux).
    const onMouseDown = (event: MouseEvent) => {
      if (event.button === 1) event.preventDefault();
    };
    container.addEventListener("pointerdown", onDown, { capture: true });
    container.addEventListener("pointermove", onMove, { capture: true });
    container.addEventListener("pointerup", onUp, { capture: true });
    container.addEventListener("pointercancel", onUp, { capture: true });
    container.addEventListener("mousedown", onMouseDown, { capture: true });
    return () => {
      container.removeEventListener("pointerdown", onDown, { capture: true });
      container.removeEventListener("pointermove", onMove, { capture: true });
      container.removeEventListener("pointerup", onUp, { capture: true });
      container.removeEventListener("pointercancel", onUp, { capture: true });
      container.removeEventListener("mousedown", onMouseDown, { capture: true });
    };
  }, [containerRef, stageRef, dispatch, applyCursor]);

  // The pan's camera change has been drawn by the groups: the stage goes back to where it was.
  useLayoutEffect(() => {
    const stage = stageRef.current;
    if (pan.current || !stage || (stage.x() === 0 && stage.y() === 0)) return;
    stage.position({ x: 0, y: 0 });
    stage.batchDraw();
  }, [view, stageRef]);

  // Wheel scrolls arrive many times a frame on a trackpad: one camera change per frame.
  const pending = useRef<Point | null>(null);
  const onWheel = useCallback(
    (event: Konva.KonvaEventObject<WheelEvent>) => {
      event.evt.preventDefault();
      const gesture = wheelGesture(event.evt);
      if (gesture.type === "zoom") {
        const pointer = stageRef.current?.getPointerPosition();
        if (pointer) dispatch({ type: "zoomBy", factor: gesture.factor, at: pointer });
        return;
      }
      if (pending.current) {
        pending.current = { x: pending.current.x + gesture.delta.x, y: pending.current.y + gesture.delta.y };
        return;
      }
      pending.current = gesture.delta;
      requestAnimationFrame(() => {
        const delta = pending.current;
        pending.current = null;
        if (delta) dispatch({ type: "panBy", delta });
      });
    },
    [dispatch, stageRef],
  );

  return { spaceHeld, panning, onWheel, setCursor };
}
