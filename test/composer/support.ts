import type { ComposerDoc } from "@/lib/composer/doc";
import { emptyDoc } from "@/lib/composer/doc";
import type { ImageMeta } from "@/lib/composer/images";
import type { ComposerAction, ComposerState } from "@/lib/composer/reducer";
import { composerReducer, initialState } from "@/lib/composer/reducer";

export const PRODUCT_URL = "backdrop://files/product.png";
export const TEMPLATE_URL = "backdrop://files/template.jpg";

/** A 600×400 cutout whose product is the 400×200 box at (100, 100). */
export const PRODUCT_META: ImageMeta = {
  width: 600,
  height: 400,
  objectBox: { x: 100, y: 100, width: 400, height: 200 },
  hasAlpha: true,
  format: "png",
  size: 3000,
  src: "/api/files/product.png",
};

export const TEMPLATE_META: ImageMeta = {
  width: 1200,
  height: 800,
  objectBox: { x: 0, y: 0, width: 1200, height: 800 },
  hasAlpha: false,
  src: "/api/files/template.jpg",
};

export function run(state: ComposerState, ...actions: ComposerAction[]): ComposerState {
  return actions.reduce(composerReducer, state);
}

/** The prompt box starts empty; most tests are about something else, so theirs has words in it. */
export const WRITTEN_PROMPT = "on a light oak table";

/** A composer with a prompt written and the product uploaded (one undo step taken by the upload). */
export function withProduct(doc: Partial<ComposerDoc> = {}): ComposerState {
  const written: Partial<ComposerDoc> = {
    scene: { prompt: WRITTEN_PROMPT, aspect_ratio: "1:1" },
    promptText: WRITTEN_PROMPT,
  };
  return run(initialState({ ...emptyDoc(), ...written, ...doc }), {
    type: "setProduct",
    url: PRODUCT_URL,
    meta: PRODUCT_META,
  });
}

export const present = (state: ComposerState) => state.history.present;
