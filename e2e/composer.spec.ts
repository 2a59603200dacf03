/**
 * The composer end to end, as a designer uses it: images in, compose on the canvas with mouse and
 * keys, every scene kind, output options, drafts from the local engine, and what-you-see-is-what-is-
 * rendered checked against the draft's pixels. Canvas state is read through the Konva stage.
 */
import { expect, test, type BrowserContext, type Page, type TestInfo } from "@playwright/test";
import axeCore from "axe-core";
import sharp from "sharp";

import { frameSizeForAspect, frameSizeForImage } from "../lib/scene/placement";
import { CANVAS_HANDLE_SCRIPT } from "../test/support/canvas-handle";
import { opaqueJpeg, PRODUCT, productPng, templateJpeg } from "../test/support/product-images";

const AXE_SOURCE = axeCore.source;

const USER = { name: "Composer E2E", email: "composer-e2e@example.com", password: "composer-e2e-password" };

type Rect = { x: number; y: number; width: number; height: number };
type SceneBody = Record<string, unknown>;
type RequestBody = { output?: unknown; object: Record<string, unknown>; scene: SceneBody };

test.describe.configure({ mode: "serial" });

let context: BrowserContext;
let page: Page;
const files: Record<string, Buffer> = {};

/** Signs in unless a stored session already did (an auth set-up project may provide one). */
async function signIn(ctx: BrowserContext, baseURL: string) {
  const me = await ctx.request.get(`${baseURL}/api/me`);
  if (me.ok()) return;
  const headers = { origin: baseURL };
  const credentials = { email: USER.email, password: USER.password };
  let signedIn = await ctx.request.post(`${baseURL}/api/auth/sign-in/email`, { data: credentials, headers });
  if (!signedIn.ok()) {
    await ctx.request.post(`${baseURL}/api/members/first-admin`, { data: USER, headers });
    signedIn = await ctx.request.post(`${baseURL}/api/auth/sign-in/email`, { data: credentials, headers });
  }
  expect(signedIn.ok(), "the composer e2e user could not sign in").toBe(true);
}

/** Boxes computed through floating-point transforms: equal to a millionth of a pixel. */
function expectBox(actual: Rect | null, expected: Rect) {
  expect(actual).not.toBeNull();
  for (const key of ["x", "y", "width", "height"] as const)
    expect(actual![key]).toBeCloseTo(expected[key], 6);
}

async function body(): Promise<RequestBody> {
  return JSON.parse((await page.getByTestId("request-json").textContent()) ?? "{}") as RequestBody;
}

async function objectOf() {
  return (await body()).object as {
    position?: { x?: number; y?: number };
    scale?: number;
    rotation_degree?: number;
  };
}

/** The product node as Konva holds it, in frame pixels. */
function productNode() {
  return page.evaluate(() => {
    const node = window.__backdropStage?.findOne(".product");
    if (!node) return null;
    return {
      x: node.x(),
      y: node.y(),
      scaleX: node.scaleX(),
      scaleY: node.scaleY(),
      rotation: node.rotation(),
    };
  });
}

function productBounds() {
  return page.evaluate(() => window.__backdropCanvas?.productObjectBounds() ?? null);
}

function framePoint(point: { x: number; y: number }) {
  return page.evaluate((p) => window.__backdropCanvas!.toPage(p), point);
}

/** A transformer anchor's position in page pixels. */
function anchor(name: string) {
  return page.evaluate((anchorName) => {
    const stage = window.__backdropStage!;
    const transformer = stage.findOne(".transformer") as unknown as {
      findOne: (s: string) => import("konva").default.Node;
    };
    const shape = transformer.findOne(`.${anchorName}`);
    const p = shape.getAbsolutePosition();
    const box = stage.container().getBoundingClientRect();
    // Anchors are offset by half their size, so their absolute position is their centre.
    return { x: box.left + p.x, y: box.top + p.y };
  }, name);
}

async function drag(from: { x: number; y: number }, to: { x: number; y: number }, steps = 12) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps });
  await page.mouse.up();
}

async function waitForProduct(width: number, height: number) {
  await expect(page.getByTestId("product-size")).toHaveText(`${width} × ${height}`);
  await page.waitForFunction(() => Boolean(window.__backdropStage?.findOne(".product")));
}

/** Drops a file on the page the way a browser does after a drag from the desktop. */
async function dropFile(selector: string, bytes: Buffer, name: string, type: string) {
  await page.evaluate(
    ({ selector, base64, name, type }) => {
      const raw = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([raw], name, { type }));
      const target = document.querySelector(selector)!;
      target.dispatchEvent(
        new DragEvent("dragover", { dataTransfer: data, bubbles: true, cancelable: true }),
      );
      target.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
    },
    { selector, base64: bytes.toString("base64"), name, type },
  );
}

async function pasteFile(bytes: Buffer, name: string, type: string) {
  await page.evaluate(
    ({ base64, name, type }) => {
      const raw = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([raw], name, { type }));
      document.body.dispatchEvent(
        new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }),
      );
    },
    { base64: bytes.toString("base64"), name, type },
  );
}

async function screenshot(testInfo: TestInfo, name: string) {
  await page.waitForTimeout(150);
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

/** Clicks an empty part of the canvas so keys go to the composer, not to a form field. */
async function focusCanvas() {
  const box = (await page.getByTestId("canvas").boundingBox())!;
  await page.mouse.click(box.x + 8, box.y + box.height - 8);
}

async function importJson(request: unknown) {
  await page.getByRole("button", { name: "Import JSON" }).click();
  await page.getByLabel("Paste a scene/create request body").fill(JSON.stringify(request));
  await page.getByRole("button", { name: "Load into composer" }).click();
}

/** Generates with the current request and waits for the newest result card to settle. */
async function generateAndWait(): Promise<string> {
  const created = page.waitForResponse(
    (r) => r.url().endsWith("/api/generations") && r.request().method() === "POST",
  );
  await page.getByTestId("generate").click();
  const response = await created;
  expect(response.status()).toBe(202);
  const { generation } = (await response.json()) as { generation: { id: string } };
  const card = page.getByTestId("generation").first();
  await expect(card).toHaveAttribute("data-status", /succeeded|failed|interrupted/, { timeout: 60_000 });
  const failure = (await card.getByRole("alert").allTextContents()).join(" ");
  expect(await card.getAttribute("data-status"), failure).toBe("succeeded");
  return generation.id;
}

/** The bounds of pixels that are mostly the fixture's red, in a rendered image. */
async function redBounds(png: Buffer): Promise<Rect> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let x0 = info.width;
  let y0 = info.height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      const i = (y * info.width + x) * 3;
      // r − g is 255 × the red coverage over any grey (backdrop or shadow): more than half covered.
      if ((data[i] ?? 0) - (data[i + 1] ?? 0) > 127) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
      }
    }
  }
  return { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

test.beforeAll(async ({ browser }, testInfo) => {
  const baseURL = testInfo.project.use.baseURL!;
  files.product = await productPng();
  files.template = await templateJpeg();
  files.opaque = await opaqueJpeg();
  // axe is injected as an inline script, which the page's nonce-based CSP would otherwise refuse.
  context = await browser.newContext({
    baseURL,
    viewport: { width: 1440, height: 900 },
    bypassCSP: true,
    storageState: testInfo.project.use.storageState,
  });
  await context.addInitScript({ content: CANVAS_HANDLE_SCRIPT });
  await signIn(context, baseURL);
  page = await context.newPage();
  await page.goto("/");
  await page.evaluate(() => window.localStorage.clear());
  await page.reload();
});

test.afterAll(async () => {
  await context?.close();
});

test("a first visit: one image in, a few words, one click, a draft out", async ({}, testInfo) => {
  // What a newcomer sees: an empty frame saying what to do, an empty prompt with an example in it.
  const started = Date.now();
  await expect(
    page.getByText("Drop a product image anywhere, paste one, or use “Choose file”."),
  ).toBeVisible();
  const prompt = page.getByLabel("Describe the scene", { exact: true });
  await expect(prompt).toHaveValue("");
  await expect(prompt).toHaveAttribute("placeholder", /^e\.g\. /);
  await screenshot(testInfo, "first-visit-1-empty");
  await page
    .getByTestId("product-file")
    .setInputFiles({ name: "product.png", mimeType: "image/png", buffer: files.product! });
  await waitForProduct(PRODUCT.width, PRODUCT.height);
  await screenshot(testInfo, "first-visit-2-product");
  await expect(page.getByTestId("generate")).toBeDisabled();
  await expect(page.getByTestId("generate-blocked")).toHaveText("Describe the scene to generate.");
  await prompt.fill("on a light oak table by a window");
  await expect(page.getByTestId("generate")).toHaveText("Generate draft");
  await generateAndWait();
  await expect(page.getByTestId("generation").first().getByTestId("result-image")).toHaveCount(1);
  await screenshot(testInfo, "first-visit-3-draft");
  testInfo.annotations.push({ type: "first draft after", description: `${Date.now() - started} ms` });
});

test("images come in by file picker, drop and paste; an opaque product is flagged", async () => {
  await page
    .getByTestId("product-file")
    .setInputFiles({ name: "product.png", mimeType: "image/png", buffer: files.product! });
  await waitForProduct(PRODUCT.width, PRODUCT.height);
  await expect(page.getByTestId("no-alpha-warning")).toHaveCount(0);

  await dropFile("[data-testid=canvas]", files.opaque!, "flat.jpg", "image/jpeg");
  await waitForProduct(500, 500);
  await expect(page.getByTestId("no-alpha-warning")).toBeVisible();

  await pasteFile(files.product!, "pasted.png", "image/png");
  await waitForProduct(PRODUCT.width, PRODUCT.height);
  await expect(page.getByTestId("no-alpha-warning")).toHaveCount(0);

  // A URL the server cannot fetch is explained in the slot, in words (no machine code); the address
  // stays in the box to be corrected, and the product stays.
  const productSlot = page.locator("[data-slot=product]");
  await productSlot.getByRole("button", { name: "Import URL" }).click();
  await productSlot.getByLabel("Product image URL").fill("http://127.0.0.1:9/missing.png");
  await productSlot.getByRole("button", { name: "Import", exact: true }).click();
  await expect(productSlot.getByRole("alert")).not.toBeEmpty();
  await expect(productSlot.getByRole("alert")).not.toContainText(/\(\w+\)|_/);
  await expect(productSlot.getByLabel("Product image URL")).toHaveValue("http://127.0.0.1:9/missing.png");
  await expect(page.getByTestId("product-size")).toHaveText(`${PRODUCT.width} × ${PRODUCT.height}`);

  // At the defaults the server's object box (the red box) just fits the 1:1 frame, centred.
  expectBox(await productBounds(), { x: 0, y: 256, width: 1024, height: 512 });
  expect(await objectOf()).toEqual({ image_url: expect.stringMatching(/^backdrop:\/\/files\//) });
});

test("drag, scale with a corner handle, rotate with snaps and Shift, nudge, undo, redo, reset", async () => {
  const fit = 1024 / PRODUCT.box.width;

  const visibleGuides = () =>
    page.evaluate(() => window.__backdropStage!.find(".guide").filter((g) => g.visible()).length);

  // While dragging: the centre snaps to the frame's centre line with a guide, and the inspector follows.
  const centre = await framePoint({ x: 512, y: 512 });
  await page.mouse.move(centre.x, centre.y);
  await page.mouse.down();
  const near = await framePoint({ x: 516, y: 700 });
  await page.mouse.move(near.x, near.y, { steps: 8 });
  expect(await visibleGuides()).toBe(1);
  const snapped = (await productNode())!;
  expect(snapped.x).toBe(512);
  await expect(page.getByLabel("X", { exact: true })).toHaveValue("0.5");
  await expect(page.getByLabel("Y (up)")).toHaveValue(String(Math.round((1 - snapped.y / 1024) * 1e4) / 1e4));
  // Alt turns snapping off.
  await page.keyboard.down("Alt");
  await page.mouse.move(near.x + 1, near.y);
  await page.mouse.move(near.x, near.y);
  expect(await visibleGuides()).toBe(0);
  expect(Math.abs((await productNode())!.x - 516)).toBeLessThan(3);
  await page.keyboard.up("Alt");

  // Drag's end: the request follows the node, in API units (y up), rounded to 4 decimals; one undo step.
  const target = await framePoint({ x: 300, y: 700 });
  await page.mouse.move(target.x, target.y, { steps: 12 });
  await page.mouse.up();
  expect(await visibleGuides()).toBe(0);
  const dragged = (await productNode())!;
  expect(dragged.x).toBeGreaterThan(290);
  expect(dragged.x).toBeLessThan(310);
  expect(await objectOf()).toMatchObject({
    position: {
      x: Math.round((dragged.x / 1024) * 1e4) / 1e4,
      y: Math.round((1 - dragged.y / 1024) * 1e4) / 1e4,
    },
  });

  // Scale with the bottom-right handle: the ratio is kept and the request's scale is node scale / fit.
  const corner = await anchor("bottom-right");
  await drag(corner, { x: corner.x - 120, y: corner.y - 60 });
  const scaled = (await productNode())!;
  const { scale } = await objectOf();
  expect(scale).toBeLessThan(0.9);
  expect(scaled.scaleX).toBeCloseTo(scale! * fit, 9);
  expect(scaled.scaleY).toBeCloseTo(scaled.scaleX, 9);

  // Rotate by about 43° around the product's centre: it snaps to 45.
  const turn = async (degrees: number) => {
    const handle = await anchor("rotater");
    const node = (await productNode())!;
    const centre = await framePoint({ x: node.x, y: node.y });
    const r = (degrees * Math.PI) / 180;
    const dx = handle.x - centre.x;
    const dy = handle.y - centre.y;
    await drag(handle, {
      x: centre.x + dx * Math.cos(r) - dy * Math.sin(r),
      y: centre.y + dx * Math.sin(r) + dy * Math.cos(r),
    });
  };
  await turn(43);
  expect((await objectOf()).rotation_degree).toBe(45);
  expect((await productNode())!.rotation).toBe(45);

  // With Shift held the rotation is free.
  await page.keyboard.down("Shift");
  await turn(-8);
  await page.keyboard.up("Shift");
  const free = (await objectOf()).rotation_degree!;
  expect(free).toBeGreaterThan(33);
  expect(free).toBeLessThan(41);
  await focusCanvas();
  await page.keyboard.press("Control+z");
  expect((await objectOf()).rotation_degree).toBe(45);

  // Nudges: 1 px, then 10 px with Shift, each its own undo step.
  const before = await objectOf();
  const bx = before.position!.x!;
  const by = before.position!.y!;
  await page.keyboard.press("ArrowRight");
  expect((await objectOf()).position!.x).toBeCloseTo(bx + 1 / 1024, 3);
  await page.keyboard.press("Shift+ArrowUp");
  expect((await objectOf()).position!.y).toBeCloseTo(by + 10 / 1024, 3);
  const nudged = await objectOf();

  await page.keyboard.press("Control+z");
  expect((await objectOf()).position!.y).toBe(by);
  await page.keyboard.press("Control+z");
  expect(await objectOf()).toEqual(before);
  await page.keyboard.press("Control+Shift+z");
  await page.keyboard.press("Control+Shift+z");
  expect(await objectOf()).toEqual(nudged);
  // The canvas follows the data through undo and redo.
  const node = (await productNode())!;
  expect(node.x / 1024).toBeCloseTo(nudged.position!.x!, 4);

  // The inspector shows the same numbers and edits them back into the canvas.
  await expect(page.getByLabel("Rotation")).toHaveValue("45");
  await page.getByLabel("Scale").fill("0.5");
  await page.getByLabel("Scale").blur();
  expect((await objectOf()).scale).toBe(0.5);
  expect((await productNode())!.scaleX).toBeCloseTo(0.5 * fit, 9);

  // Delete resets the placement to the API's defaults.
  await focusCanvas();
  await page.keyboard.press("Delete");
  expect(await objectOf()).toEqual({ image_url: expect.any(String) });
  expectBox(await productBounds(), { x: 0, y: 256, width: 1024, height: 512 });
});

test("Ctrl + wheel zooms around the pointer; buttons and keys zoom; Fit brings the frame back", async () => {
  const rectBefore = await page.evaluate(() => window.__backdropCanvas!.frameRect());
  const pointer = await framePoint({ x: 256, y: 256 });
  await page.mouse.move(pointer.x, pointer.y);
  await page.keyboard.down("Control");
  await page.mouse.wheel(0, -300);
  await page.keyboard.up("Control");
  await expect
    .poll(() => page.evaluate(() => window.__backdropCanvas!.zoom()))
    .toBeGreaterThan(rectBefore.width / 1024);
  // The frame point under the pointer stays under it.
  const after = await framePoint({ x: 256, y: 256 });
  expect(Math.abs(after.x - pointer.x)).toBeLessThan(1);
  expect(Math.abs(after.y - pointer.y)).toBeLessThan(1);
  await page.getByRole("button", { name: "Fit" }).click();
  await expect.poll(() => page.evaluate(() => window.__backdropCanvas!.frameRect())).toEqual(rectBefore);

  // Toolbar buttons and the + / - / 0 keys zoom around the canvas's middle and fit again.
  const fitted = rectBefore.width / 1024;
  const zoom = () => page.evaluate(() => window.__backdropCanvas!.zoom());
  await page.getByRole("button", { name: "Zoom in" }).click();
  await expect.poll(zoom).toBeCloseTo(fitted * 1.25, 6);
  await focusCanvas();
  await page.keyboard.press("-");
  await page.keyboard.press("-");
  await expect.poll(zoom).toBeCloseTo(fitted / 1.25, 6);
  await page.keyboard.press("0");
  await expect.poll(() => page.evaluate(() => window.__backdropCanvas!.frameRect())).toEqual(rectBefore);
});

test("placement types: a margin shows its inset and fits the product; as in the image locks it", async ({}, testInfo) => {
  await page.getByRole("radio", { name: "With margin" }).click();
  await page.getByLabel("Margin", { exact: true }).fill("10% 20%");
  expect((await body()).object).toEqual({
    image_url: expect.any(String),
    placement_type: "padding",
    padding: "10% 20%",
  });
  // 20% of 1024 on each side leaves 614.4 px for the 400 px wide box.
  const padded = (await productBounds())!;
  expect(padded.x).toBeCloseTo(204.8, 3);
  expect(padded.width).toBeCloseTo(614.4, 3);
  expect(await page.evaluate(() => Boolean(window.__backdropStage!.findOne(".padding-inset")))).toBe(true);
  await screenshot(testInfo, "placement-padding");

  await page.getByLabel("Margin", { exact: true }).fill("70%");
  await expect(page.locator("[data-field-error=object-padding]")).toHaveText(
    "Padding can not be bigger than half of the frame",
  );
  await expect(page.getByTestId("generate")).toBeDisabled();

  await page.getByRole("radio", { name: "As in image" }).click();
  expect((await body()).object).toEqual({ image_url: expect.any(String), placement_type: "original" });
  // The frame is the product image itself, and the product cannot be dragged.
  expect(await page.evaluate(() => window.__backdropCanvas!.frame)).toEqual(frameSizeForImage(PRODUCT));
  expect(await page.evaluate(() => window.__backdropStage!.findOne(".product")!.draggable())).toBe(false);

  await page.getByRole("radio", { name: "Free" }).click();
  expect(await page.evaluate(() => window.__backdropStage!.findOne(".product")!.draggable())).toBe(true);
});

test("every scene kind sends exactly its fields; the canvas frame follows", async ({}, testInfo) => {
  // Prompt (the default), with its options; model, steps and preference are under Advanced.
  await page.getByLabel("Describe the scene", { exact: true }).fill("on a slate slab, overcast light");
  await page.getByLabel("Keep out of the scene").fill("people, text");
  await page.getByTestId("scene-advanced").locator("summary").click();
  await page.getByLabel("Detail steps").fill("20");
  await page.getByLabel("Speed or quality").selectOption("best");
  await page.getByLabel("Frame shape").selectOption("4:5");
  await page.getByLabel("AI model").selectOption("v2");
  await page.getByLabel("Background colour", { exact: true }).fill("#aece8c");
  expect((await body()).scene).toEqual({
    model: "v2",
    prompt: "on a slate slab, overcast light",
    negative_prompt: "people, text",
    steps: 20,
    preference: "best",
    aspect_ratio: "4:5",
    color: "#aece8c",
  });
  expect(await page.evaluate(() => window.__backdropCanvas!.frame)).toEqual(frameSizeForAspect("4:5"));
  await screenshot(testInfo, "kind-prompt");

  // Auto-generated prompt with guidelines.
  await page.getByRole("radio", { name: "Auto-generate" }).click();
  await page.getByLabel("Hints for the prompt (optional)").fill("real life setting");
  expect((await body()).scene.prompt).toEqual({ generate: true, guidelines: "real life setting" });
  await page.getByRole("radio", { name: "Write it" }).click();
  expect((await body()).scene.prompt).toBe("on a slate slab, overcast light");

  // A field out of range shows the schema's message next to it and blocks generating.
  await page.getByLabel("Detail steps").fill("60");
  await expect(page.locator("[data-field-error=scene-steps]")).toHaveText("Must be less than 50");
  await expect(page.getByTestId("generate")).toBeDisabled();
  await page.getByLabel("Detail steps").fill("20");
  await expect(page.locator("[data-field-error=scene-steps]")).toHaveCount(0);

  // Template: the frame takes the template's shape; aspect ratio and preference are not sent, nor is
  // the prompt scene's prompt unless it is asked for.
  await page.getByRole("radio", { name: "Template" }).click();
  await expect(page.getByText("Add a template image for a template scene")).toBeVisible();
  await page.locator("[data-slot=template] input[type=file]").setInputFiles({
    name: "template.jpg",
    mimeType: "image/jpeg",
    buffer: files.template!,
  });
  await expect(page.locator("[data-slot=template]").getByText("1200 × 800")).toBeVisible();
  await page.getByLabel("How closely to keep it").selectOption("lock");
  await page.getByLabel("Camera angle", { exact: true }).selectOption("top");
  expect((await body()).scene).not.toHaveProperty("prompt");
  await page.getByLabel("Also describe the scene with a prompt").check();
  const template = (await body()).scene;
  expect(template).toEqual({
    model: "v2",
    template_mode: "lock",
    template_url: expect.stringMatching(/^backdrop:\/\/files\//),
    view: "top",
    prompt: "on a slate slab, overcast light",
    negative_prompt: "people, text",
    steps: 20,
    color: "#aece8c",
  });
  expect(await page.evaluate(() => window.__backdropCanvas!.frame)).toEqual(
    frameSizeForImage({ width: 1200, height: 800 }),
  );
  await page.waitForFunction(() => Boolean(window.__backdropStage?.findOne(".template")));
  await screenshot(testInfo, "kind-template");

  // Shadows only: a plain colour or transparent.
  await page.getByRole("radio", { name: "Shadows" }).click();
  await page.getByLabel("Transparent background").check();
  await page.getByLabel("Camera angle", { exact: true }).selectOption("auto");
  expect((await body()).scene).toEqual({
    model: "v2",
    effect: "shadows",
    color: "transparent",
    view: "auto",
    aspect_ratio: "4:5",
  });
  await screenshot(testInfo, "kind-effect");

  // Output options.
  await page.getByLabel("Images per run").selectOption("2");
  // Transparent has no place in a JPEG: both fields say so before anyone generates.
  await page.getByLabel("File format").selectOption("jpeg");
  await expect(page.locator("[data-field-error=scene-color]")).toContainText("needs PNG, WebP or AVIF");
  await expect(page.locator("[data-field-error=output-format]")).toContainText("JPEG has no transparency");
  await expect(page.getByTestId("generate")).toBeDisabled();
  await page.getByLabel("Transparent background").uncheck();
  await page.getByLabel("Background colour", { exact: true }).fill("#aece8c");
  await page.getByLabel("Quality").fill("80");
  expect((await body()).output).toEqual({ number_of_images: 2, format: { type: "jpeg", quality: 80 } });
  await page.getByLabel("File format").selectOption("webp");
  await page.getByLabel("Compression").selectOption("lossless");
  expect((await body()).output).toEqual({
    number_of_images: 2,
    format: { type: "webp", compression: "lossless" },
  });
  await page.getByLabel("File format").selectOption("png");
  expect((await body()).output).toEqual({ number_of_images: 2, format: "png" });
});

test("drafts: generate, see the results, open one, send its request back to the composer", async ({}, testInfo) => {
  await page.getByRole("radio", { name: "Prompt" }).click();
  const sent = await body();
  const id = await generateAndWait();
  const card = page.getByTestId("generation").first();
  await expect(card.getByText("Draft", { exact: true })).toBeVisible();
  await expect(card.getByTestId("result-image")).toHaveCount(2);
  for (const image of await card.getByTestId("result-image").all()) {
    await expect
      .poll(() => image.evaluate((img) => (img as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0);
  }
  await screenshot(testInfo, "results");

  await card.getByTestId("result-image").first().click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("link", { name: "Download" })).toHaveAttribute("href", /\/api\/files\//);
  await screenshot(testInfo, "result-viewer");
  await dialog.getByRole("button", { name: "Close" }).click();

  // Change the composition, then bring the generation's request back.
  await page.getByRole("radio", { name: "Shadows" }).click();
  expect((await body()).scene).not.toEqual(sent.scene);
  await card.getByRole("button", { name: "Send to composer" }).click();
  expect(await body()).toEqual(sent);

  // The composer survives a reload, and /?from=<id> loads a generation's request.
  await page.getByRole("radio", { name: "Shadows" }).click();
  const changed = await body();
  await page.reload();
  await page.waitForFunction(() => Boolean(window.__backdropStage?.findOne(".product")));
  expect(await body()).toEqual(changed);
  await page.goto(`/?from=${id}`);
  await expect.poll(body).toEqual(sent);
});

test("copy as cURL gives a command for this server's endpoint with a placeholder token", async ({
  baseURL,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  await page.getByRole("button", { name: "Copy as cURL" }).click();
  await expect(page.getByText("cURL copied")).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain(`curl -X POST '${baseURL}/v1/scene/create'`);
  expect(copied).toContain(`-H 'Authorization: Bearer '"$BACKDROP_TOKEN"`);
  const json = /--data-raw '([\s\S]*)'$/.exec(copied)?.[1];
  expect(JSON.parse(json!)).toEqual(await body());
});

test("importing JSON: a valid request loads exactly, an invalid one is explained", async () => {
  const { object } = await body();
  const request = {
    output: { number_of_images: 1, format: { type: "avif", compression: { type: "lossy", quality: 40 } } },
    object: {
      image_url: object.image_url,
      placement_type: "absolute",
      rotation_degree: 12.5,
      scale: 0.42,
      position: { x: 0.3, y: 0.65 },
    },
    scene: {
      model: "v1",
      template_url: "https://example.com/t.jpg",
      view: "front",
      prompt: { text: "on sand" },
    },
  };
  await importJson(request);
  expect(await body()).toEqual(request);
  await expect(page.getByLabel("X", { exact: true })).toHaveValue("0.3");

  await page.getByRole("button", { name: "Import JSON" }).click();
  await page
    .getByLabel("Paste a scene/create request body")
    .fill(
      JSON.stringify({ object: { image_url: "nope", scale: 2 }, scene: { prompt: "ok prompt", steps: 0 } }),
    );
  await page.getByRole("button", { name: "Load into composer" }).click();
  const errors = page.locator("#import-json-errors");
  await expect(errors).toContainText("object.image_url: Must be an absolute URI");
  await expect(errors).toContainText("object.scale: Must be 0 or between 0.01 and 1");
  await expect(errors).toContainText("scene.steps");
  expect(await body()).toEqual(request);
  await page.getByRole("button", { name: "Cancel" }).click();
});

test("what you see is what is rendered: the canvas box equals the draft's box within 1 px", async () => {
  test.setTimeout(180_000);
  const imageUrl = (await body()).object.image_url as string;
  const placements = [
    { position: { x: 0.5, y: 0.5 } },
    { position: { x: 0.3, y: 0.7 }, scale: 0.5 },
    { position: { x: 0.62, y: 0.41 }, scale: 0.35, rotation_degree: 90 },
    { position: { x: 0.45, y: 0.55 }, scale: 0.6, rotation_degree: 30 },
  ];
  for (const placement of placements) {
    await importJson({
      output: { number_of_images: 1, format: "png" },
      object: { image_url: imageUrl, ...placement },
      scene: { effect: "shadows", color: "#ffffff" },
    });
    await page.waitForFunction(() => Boolean(window.__backdropStage?.findOne(".product")));
    const onCanvas = (await productBounds())!;
    const id = await generateAndWait();
    const generation = (await (await page.request.get(`/api/generations/${id}`)).json()) as {
      generation: { outputs: { url: string; width: number; height: number }[] };
    };
    const output = generation.generation.outputs[0]!;
    expect([output.width, output.height]).toEqual([1024, 1024]);
    const png = Buffer.from(await (await page.request.get(output.url)).body());
    const rendered = await redBounds(png);
    const message = `placement ${JSON.stringify(placement)}: canvas ${JSON.stringify(onCanvas)}, render ${JSON.stringify(rendered)}`;
    expect(Math.abs(rendered.x - onCanvas.x), message).toBeLessThanOrEqual(1);
    expect(Math.abs(rendered.y - onCanvas.y), message).toBeLessThanOrEqual(1);
    expect(
      Math.abs(rendered.x + rendered.width - (onCanvas.x + onCanvas.width)),
      message,
    ).toBeLessThanOrEqual(1);
    expect(
      Math.abs(rendered.y + rendered.height - (onCanvas.y + onCanvas.height)),
      message,
    ).toBeLessThanOrEqual(1);
  }
});

test("accessibility: no serious or critical axe violations", async ({}, testInfo) => {
  await page.addScriptTag({ content: AXE_SOURCE });
  const results = await page.evaluate(async () => {
    // axe is injected above; its types are not part of the page.
    const axe = (
      window as unknown as {
        axe: {
          run: (c: Document) => Promise<{
            violations: { id: string; impact: string | null; help: string; nodes: { target: unknown }[] }[];
          }>;
        };
      }
    ).axe;
    return axe.run(document);
  });
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  await testInfo.attach("axe-violations.json", {
    body: JSON.stringify(results.violations, null, 2),
    contentType: "application/json",
  });
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")})`),
  ).toEqual([]);
});
