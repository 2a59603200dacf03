/**
 * The canvas as tests and the canvas benchmark read and drive it: `window.__backdropStage` (the Konva
 * stage) and `window.__backdropCanvas` (the frame, the zoom, frame ↔ page coordinates, the product's
 * box). The app ships none of this: the tests install it in the page before the app loads, and it
 * reads Konva's own stage registry and the nodes the canvas names (`frame`, `frame-clip`, `product`).
 */
import type Konva from "konva";

type Rect = { x: number; y: number; width: number; height: number };

export type CanvasHandle = {
  readonly frame: { width: number; height: number };
  zoom: () => number;
  /** The frame's rectangle in page (CSS) pixels. */
  frameRect: () => Rect;
  /** A frame point in page pixels, for driving the canvas with a mouse. */
  toPage: (point: { x: number; y: number }) => { x: number; y: number };
  /** The product node's box (its object box: the node shows only that) as axis-aligned frame pixels. */
  productObjectBounds: () => Rect | null;
};

declare global {
  interface Window {
    __backdropStage?: Konva.Stage;
    __backdropCanvas?: CanvasHandle;
  }
}

/** Runs in the page, before any of its scripts. */
function installCanvasHandle() {
  type KonvaGlobal = { stages: Konva.Stage[] };
  const stage = (): Konva.Stage | undefined =>
    (window as unknown as { Konva?: KonvaGlobal }).Konva?.stages.find((s) => s.container().isConnected);
  const frameGroup = () => {
    const group = stage()?.findOne(".frame");
    if (!group) throw new Error("the canvas has no frame yet");
    return group;
  };
  const origin = () => {
    const box = stage()!.container().getBoundingClientRect();
    const group = frameGroup();
    return { x: box.left + group.x(), y: box.top + group.y(), zoom: group.scaleX() };
  };
  const handle: CanvasHandle = {
    get frame() {
      const clip = stage()?.findOne(".frame-clip") as Konva.Group | undefined;
      if (!clip) throw new Error("the canvas has no frame yet");
      return { width: clip.clipWidth(), height: clip.clipHeight() };
    },
    zoom: () => frameGroup().scaleX(),
    frameRect: () => {
      const o = origin();
      const frame = handle.frame;
      return { x: o.x, y: o.y, width: frame.width * o.zoom, height: frame.height * o.zoom };
    },
    toPage: (point) => {
      const o = origin();
      return { x: o.x + point.x * o.zoom, y: o.y + point.y * o.zoom };
    },
    productObjectBounds: () => {
      const node = stage()?.findOne(".product");
      if (!node) return null;
      // The node's own transform is in frame pixels: its parent (the clip group) is not transformed.
      const transform = node.getTransform();
      const corners = [
        transform.point({ x: 0, y: 0 }),
        transform.point({ x: node.width(), y: 0 }),
        transform.point({ x: node.width(), y: node.height() }),
        transform.point({ x: 0, y: node.height() }),
      ];
      const xs = corners.map((c) => c.x);
      const ys = corners.map((c) => c.y);
      const x = Math.min(...xs);
      const y = Math.min(...ys);
      return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
    },
  };
  Object.defineProperty(window, "__backdropStage", { configurable: true, get: stage });
  Object.defineProperty(window, "__backdropCanvas", {
    configurable: true,
    get: () => (stage()?.findOne(".frame") ? handle : undefined),
  });
}

/**
 * The handle as an init script (`context.addInitScript({ content })`). Source text, with a stand-in
 * for the helper tsx wraps named functions in, which does not exist inside the page.
 */
export const CANVAS_HANDLE_SCRIPT = `(() => {\n  const __name = (f) => f;\n  (${installCanvasHandle.toString()})();\n})();`;
