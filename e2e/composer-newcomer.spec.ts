/**
 * The composer as a newcomer expects it, in Chromium at 1440 × 900: the canvas shows the backdrop the
 * draft will have (and the product outside the frame, faintly), Figma's ways around the canvas,
 * Generate always in view, the contract's judgement before Generate, an empty prompt and folded
 * options with plain labels, and errors that say what is wrong in words. Canvas state is read through
 * the Konva stage, colours from the stage's own pixels.
 */
import { expect, test, type BrowserContext, type Page, type TestInfo } from "@playwright/test";

import { CANVAS_HANDLE_SCRIPT } from "../test/support/canvas-handle";
import { PRODUCT, productPng, templateJpeg } from "../test/support/product-images";

type Point = { x: number; y: number };
type Rect = Point & { width: number; height: number };

test.describe.configure({ mode: "serial" });

let context: BrowserContext;
let page: Page;
const files: Record<string, Buffer> = {};
/** Every generation the page starts: the checks before Generate must start none. */
const started: string[] = [];
const uploads: string[] = [];

async function body() {
  return JSON.parse((await page.getByTestId("request-json").textContent()) ?? "{}") as {
    output?: unknown;
    object: Record<string, unknown>;
    scene: Record<string, unknown>;
  };
}

const frameRect = () => page.evaluate(() => window.__backdropCanvas!.frameRect());
const zoom = () => page.evaluate(() => window.__backdropCanvas!.zoom());
const framePoint = (p: Point) => page.evaluate((q) => window.__backdropCanvas!.toPage(q), p);
const productBounds = () => page.evaluate(() => window.__backdropCanvas!.productObjectBounds());

/** The stage's own pixel under a page point (RGBA): what the canvas draws there, backdrop included. */
function canvasRgba(at: Point) {
  return page.evaluate((p) => {
    const stage = window.__backdropStage!;
    const box = stage.container().getBoundingClientRect();
    const canvas = stage.toCanvas({ pixelRatio: 1 });
    const data = canvas
      .getContext("2d")!
      .getImageData(Math.round(p.x - box.left), Math.round(p.y - box.top), 1, 1).data;
    return [data[0]!, data[1]!, data[2]!, data[3]!] as [number, number, number, number];
  }, at);
}

async function canvasPixel(at: Point): Promise<[number, number, number]> {
  const [r, g, b] = await canvasRgba(at);
  return [r, g, b];
}

/** Rectangles computed through floating-point transforms: equal to a millionth of a pixel. */
function expectRect(actual: Rect, expected: Rect) {
  for (const key of ["x", "y", "width", "height"] as const) expect(actual[key]).toBeCloseTo(expected[key], 6);
}

async function rectSettles(expected: Rect) {
  await expect
    .poll(async () => {
      const r = await frameRect();
      return Math.max(...(["x", "y", "width", "height"] as const).map((k) => Math.abs(r[k] - expected[k])));
    })
    .toBeLessThan(1e-6);
  expectRect(await frameRect(), expected);
}

/** The backdrop preview the canvas draws now, by its link, once it is there. */
async function previewHref(): Promise<string> {
  await page.waitForFunction(() => Boolean(window.__backdropStage?.findOne(".backdrop-preview")));
  return page.evaluate(() =>
    String(window.__backdropStage!.findOne(".backdrop-preview")!.getAttr("previewHref")),
  );
}

async function previewScene(): Promise<unknown> {
  return JSON.parse(new URL(await previewHref(), "http://x").searchParams.get("scene") ?? "null");
}

async function screenshot(testInfo: TestInfo, name: string) {
  await page.waitForTimeout(200);
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

async function importJson(request: unknown) {
  await page.getByRole("button", { name: "Import JSON" }).click();
  await page.getByLabel("Paste a scene/create request body").fill(JSON.stringify(request));
  await page.getByRole("button", { name: "Load into composer" }).click();
}

/** Clicks an empty part of the canvas so keys go to the composer, not to a form field. */
async function focusCanvas() {
  const box = (await page.getByTestId("canvas").boundingBox())!;
  await page.mouse.click(box.x + 8, box.y + box.height - 8);
}

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

test.beforeAll(async ({ browser }, testInfo) => {
  files.product = await productPng();
  files.template = await templateJpeg();
  context = await browser.newContext({
    baseURL: testInfo.project.use.baseURL,
    viewport: { width: 1440, height: 900 },
    storageState: testInfo.project.use.storageState,
  });
  await context.addInitScript({ content: CANVAS_HANDLE_SCRIPT });
  page = await context.newPage();
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (request.method() === "POST" && path === "/api/generations") started.push(request.url());
    if (request.method() === "POST" && path === "/api/uploads") uploads.push(request.url());
  });
  await page.goto("/");
  await page.evaluate(() => window.localStorage.clear());
  await page.reload();
});

test.afterAll(async () => {
  await context?.close();
});

test("the prompt box starts empty, options are folded under Advanced, the API's words are plain", async ({}, testInfo) => {
  const prompt = page.getByLabel("Describe the scene", { exact: true });
  await expect(prompt).toHaveValue("");
  await expect(prompt).toHaveAttribute(
    "placeholder",
    "e.g. on a light oak table by a window, soft morning light",
  );
  // An empty box is a next step, not a mistake.
  await expect(page.locator("[data-field-error=scene-prompt]")).toHaveCount(0);

  for (const label of ["AI model", "Detail steps", "Speed or quality", "Save to a storage (optional)"])
    await expect(page.getByLabel(label, { exact: true })).toBeHidden();
  await page.getByTestId("scene-advanced").locator("summary").click();
  await page.getByTestId("output-advanced").locator("summary").click();
  for (const label of ["AI model", "Detail steps", "Speed or quality", "Save to a storage (optional)"])
    await expect(page.getByLabel(label, { exact: true })).toBeVisible();
  for (const label of [
    "Keep out of the scene",
    "Background colour",
    "Frame shape",
    "Images per run",
    "File format",
  ])
    await expect(page.getByLabel(label, { exact: true })).toBeVisible();
  const forms = ["scene-form", "output-form", "placement-inspector", "generate-panel"];
  const sidebars = (await Promise.all(forms.map((id) => page.getByTestId(id).innerText()))).join("\n");
  for (const word of ["negative_prompt", "aspect_ratio", "Negative prompt", "Preference", "placement_type"])
    expect(sidebars).not.toContain(word);
  await screenshot(testInfo, "newcomer-advanced-open");
  await page.getByTestId("scene-advanced").locator("summary").click();
  await page.getByTestId("output-advanced").locator("summary").click();

  await page
    .getByTestId("product-file")
    .setInputFiles({ name: "product.png", mimeType: "image/png", buffer: files.product! });
  await expect(page.getByTestId("product-size")).toHaveText(`${PRODUCT.width} × ${PRODUCT.height}`);
  await expect(page.getByTestId("generate")).toBeDisabled();
  await expect(page.getByTestId("generate-blocked")).toHaveText("Describe the scene to generate.");

  // Prompt → Template does not take the prompt along unseen; asking for one brings it back.
  await prompt.fill("on wet slate by the sea");
  await page.getByRole("radio", { name: "Template" }).click();
  await expect(page.getByLabel("Also describe the scene with a prompt")).not.toBeChecked();
  expect((await body()).scene).not.toHaveProperty("prompt");
  await page.getByLabel("Also describe the scene with a prompt").check();
  expect((await body()).scene).toMatchObject({ prompt: "on wet slate by the sea" });
  await page.getByRole("radio", { name: "Prompt" }).click();
  expect((await body()).scene).toMatchObject({ prompt: "on wet slate by the sea" });
});

test("the canvas is the preview: the draft's backdrop behind the product in every scene kind", async ({}, testInfo) => {
  const corner = async () => canvasPixel(await framePoint({ x: 40, y: 40 }));
  const prompt = page.getByLabel("Describe the scene", { exact: true });

  // Prompt: the local engine's studio backdrop for the words, refreshed as they change.
  await prompt.fill("deep blue velvet backdrop");
  await expect.poll(previewScene).toEqual({ prompt: "deep blue velvet backdrop" });
  await expect.poll(async () => (await corner())[2] - (await corner())[0]).toBeGreaterThan(30);
  await screenshot(testInfo, "kind-prompt-blue");
  await prompt.fill("warm red brick wall");
  await expect.poll(previewScene).toEqual({ prompt: "warm red brick wall" });
  await expect.poll(async () => (await corner())[0] - (await corner())[2]).toBeGreaterThan(30);
  // Only what the backdrop depends on asks for a new one.
  const before = await previewHref();
  await page.getByLabel("Keep out of the scene").fill("people");
  await page.waitForTimeout(600);
  expect(await previewHref()).toBe(before);
  await screenshot(testInfo, "kind-prompt-red");

  // Template: tinted by the engine, or drawn as it is when locked.
  await page.getByRole("radio", { name: "Template" }).click();
  await page.locator("[data-slot=template] input[type=file]").setInputFiles({
    name: "template.jpg",
    mimeType: "image/jpeg",
    buffer: files.template!,
  });
  await expect(page.locator("[data-slot=template]").getByText("1200 × 800")).toBeVisible();
  await page.getByLabel("Background colour", { exact: true }).fill("#00c060");
  await expect
    .poll(previewScene)
    .toMatchObject({ template_url: expect.stringMatching(/^backdrop:\/\/files\//), color: "#00c060" });
  await screenshot(testInfo, "kind-template-tinted");
  await page.getByLabel("How closely to keep it").selectOption("lock");
  await expect
    .poll(() => page.evaluate(() => Boolean(window.__backdropStage!.findOne(".backdrop-preview"))))
    .toBe(false);
  await page.waitForFunction(() => Boolean(window.__backdropStage?.findOne(".template")));
  // The template's sky, as it is in the file (#dfe7ef at its top).
  const sky = await corner();
  expect(Math.abs(sky[0] - 0xdf) + Math.abs(sky[1] - 0xe7) + Math.abs(sky[2] - 0xef)).toBeLessThan(24);
  await screenshot(testInfo, "kind-template-locked");

  // Shadows: the colour itself.
  await page.getByRole("radio", { name: "Shadows" }).click();
  await page.getByLabel("Background colour", { exact: true }).fill("#336699");
  await expect.poll(corner).toEqual([0x33, 0x66, 0x99]);
  await screenshot(testInfo, "kind-effect");
  await page.getByRole("radio", { name: "Prompt" }).click();
  await page.getByLabel("Background colour", { exact: true }).fill("");
});

test("outside the frame the product is ghosted, and its selection box stays in view", async ({}, testInfo) => {
  const { object } = await body();
  await importJson({
    object: { image_url: object.image_url, position: { x: 0.96, y: 0.5 }, rotation_degree: 20 },
    scene: { prompt: "warm red brick wall" },
    output: { number_of_images: 1 },
  });
  await page.waitForFunction(() => Boolean(window.__backdropStage?.findOne(".product-ghost")?.isVisible()));
  const frame = await frameRect();
  // Past the frame's right edge, level with the product's centre: the product's red, faint; just
  // inside the edge, the product itself.
  const centreY = frame.y + frame.height / 2;
  const [r, g, b, a] = await canvasRgba({ x: frame.x + frame.width + 40, y: centreY });
  expect(r - Math.max(g, b)).toBeGreaterThan(150);
  expect(a).toBeGreaterThan(50);
  expect(a).toBeLessThan(120);
  expect(await canvasRgba({ x: frame.x + frame.width - 4, y: centreY })).toEqual([255, 0, 0, 255]);
  // The selection box, handles and all, is inside the canvas.
  const selection = await page.evaluate(() => {
    const stage = window.__backdropStage!;
    const box = stage.findOne(".transformer")!.getClientRect();
    return { box, width: stage.width(), height: stage.height() };
  });
  expect(selection.box.x).toBeGreaterThanOrEqual(0);
  expect(selection.box.y).toBeGreaterThanOrEqual(0);
  expect(selection.box.x + selection.box.width).toBeLessThanOrEqual(selection.width);
  expect(selection.box.y + selection.box.height).toBeLessThanOrEqual(selection.height);
  await screenshot(testInfo, "ghost-outside-frame");

  // Back inside, no ghost, and the frame is fitted as before.
  await page.getByLabel("X", { exact: true }).fill("0.5");
  await page.getByLabel("Rotation").fill("0");
  await expect
    .poll(() => page.evaluate(() => window.__backdropStage!.findOne(".product-ghost")!.isVisible()))
    .toBe(false);
});

test("pan and zoom like Figma: space-drag, middle-drag, the wheel, Ctrl/Cmd keys, Shift+1, Shift+2", async () => {
  await focusCanvas();
  await page.keyboard.press("Shift+Digit1");
  const fitted = await frameRect();
  const object = (await body()).object;
  const move = async (from: Point, to: Point, button: "left" | "middle") => {
    await page.mouse.move(from.x, from.y);
    await page.mouse.down({ button });
    await page.mouse.move(to.x, to.y, { steps: 8 });
    await page.mouse.up({ button });
  };

  // Space-drag, starting on the product itself: the view moves, the product does not.
  const onProduct = await framePoint({ x: 512, y: 512 });
  await page.keyboard.down("Space");
  await expect(page.getByTestId("canvas-container")).toHaveAttribute("data-navigation", "space");
  await move(onProduct, { x: onProduct.x + 90, y: onProduct.y + 40 }, "left");
  await page.keyboard.up("Space");
  await rectSettles({ ...fitted, x: fitted.x + 90, y: fitted.y + 40 });
  expect((await body()).object).toEqual(object);

  // Middle-drag, anywhere.
  const at = await framePoint({ x: 100, y: 900 });
  await move(at, { x: at.x - 50, y: at.y - 70 }, "middle");
  await rectSettles({ ...fitted, x: fitted.x + 40, y: fitted.y - 30 });
  expect((await body()).object).toEqual(object);

  // The wheel scrolls the canvas; with Ctrl it zooms around the pointer.
  await page.mouse.move(fitted.x + 200, fitted.y + 200);
  await page.mouse.wheel(0, 100);
  await rectSettles({ ...fitted, x: fitted.x + 40, y: fitted.y - 130 });
  const pointer = await framePoint({ x: 300, y: 300 });
  await page.mouse.move(pointer.x, pointer.y);
  const z0 = await zoom();
  await page.keyboard.down("Control");
  await page.mouse.wheel(0, -100);
  await page.keyboard.up("Control");
  await expect.poll(zoom).toBeGreaterThan(z0 * 1.3);
  const still = await framePoint({ x: 300, y: 300 });
  expect(Math.abs(still.x - pointer.x)).toBeLessThan(1);
  expect(Math.abs(still.y - pointer.y)).toBeLessThan(1);

  // Shift+1 fits again.
  await focusCanvas();
  await page.keyboard.press("Shift+Digit1");
  await rectSettles(fitted);

  // Ctrl + = / − zoom the canvas and not the page, even from a text field.
  await page.evaluate(() => {
    const w = window as unknown as { zoomKeys: boolean[] };
    w.zoomKeys = [];
    window.addEventListener("keydown", (e) => {
      if (e.key === "=" || e.key === "-") w.zoomKeys.push(e.defaultPrevented);
    });
  });
  await page.getByLabel("Keep out of the scene").focus();
  await page.keyboard.press("Control+Equal");
  await expect.poll(zoom).toBeCloseTo((fitted.width / 1024) * 1.25, 6);
  await page.keyboard.press("Control+Minus");
  await expect.poll(zoom).toBeCloseTo(fitted.width / 1024, 6);
  expect(await page.evaluate(() => (window as unknown as { zoomKeys: boolean[] }).zoomKeys)).toEqual([
    true,
    true,
  ]);
  expect(await page.evaluate(() => window.visualViewport?.scale ?? 1)).toBe(1);

  // Shift+2 zooms to the product: its box centred in the canvas, bigger than fitted.
  await page.getByLabel("Scale").fill("0.3");
  await page.getByLabel("X", { exact: true }).fill("0.3");
  await focusCanvas();
  await page.keyboard.press("Shift+Digit2");
  const canvas = (await page.getByTestId("canvas-container").boundingBox())!;
  await expect
    .poll(async () => {
      const b = (await productBounds())!;
      const c = await framePoint({ x: b.x + b.width / 2, y: b.y + b.height / 2 });
      return Math.round(
        Math.abs(c.x - (canvas.x + canvas.width / 2)) + Math.abs(c.y - (canvas.y + canvas.height / 2)),
      );
    })
    .toBeLessThan(2);
  expect(await zoom()).toBeGreaterThan((fitted.width / 1024) * 2);
  await page.getByRole("button", { name: "Fit" }).click();
  await page.getByLabel("Scale").fill("1");
  await page.getByLabel("X", { exact: true }).fill("0.5");
});

test("Generate stays in view however long the options grow", async ({}, testInfo) => {
  const generate = page.getByTestId("generate");
  const options = page.getByTestId("options-scroll");
  const at = async () => (await generate.boundingBox())!;
  await expect(generate).toBeInViewport({ ratio: 1 });
  const before = await at();
  // Rows are added above and below where Generate was: a format's options, the storage field, the
  // JSON import box.
  await page.getByLabel("File format").selectOption("jpeg");
  await page.getByTestId("output-advanced").locator("summary").click();
  await page.getByRole("button", { name: "Import JSON" }).click();
  expect(await options.evaluate((e) => e.scrollHeight > e.clientHeight + 200)).toBe(true);
  await expect(generate).toBeInViewport({ ratio: 1 });
  expect(await at()).toEqual(before);
  // Scrolled all the way down, it has not moved.
  await options.evaluate((element) => element.scrollTo(0, element.scrollHeight));
  await expect.poll(() => options.evaluate((e) => e.scrollTop)).toBeGreaterThan(200);
  await expect(generate).toBeInViewport({ ratio: 1 });
  expect(await at()).toEqual(before);
  await screenshot(testInfo, "generate-in-view");
  await page.getByRole("button", { name: "Cancel" }).click();
  await page.getByLabel("File format").selectOption("png");
  await options.evaluate((element) => element.scrollTo(0, 0));
});

test("the composer judges like the server before anyone generates", async ({}, testInfo) => {
  const count = started.length;
  const generate = page.getByTestId("generate");
  await expect(generate).toBeEnabled();

  // A colour word: the local engine can not draw it, so it is an error next to the colour.
  await page.getByLabel("Background colour", { exact: true }).fill("red");
  await expect(page.locator("[data-field-error=scene-color]")).toHaveText(
    'Use a hex colour code like #ffffff; "red" is not one',
  );
  await expect(generate).toBeDisabled();
  // The list under Generate names the field, and takes you to it.
  const item = page.getByTestId("generate-blocked").getByRole("button", { name: /^Background colour: / });
  await item.click();
  await expect(page.getByLabel("Background colour", { exact: true })).toBeFocused();
  await screenshot(testInfo, "judged-colour");
  await page.getByLabel("Background colour", { exact: true }).fill("");

  // A scale beyond the bounds stays as typed, and says so.
  await page.getByLabel("Scale").fill("5");
  await expect(page.locator("[data-field-error=placement-scale]")).toHaveText(
    "Must be 0 or between 0.01 and 1",
  );
  expect((await body()).object).toMatchObject({ scale: 5 });
  await expect(generate).toBeDisabled();
  await page.getByLabel("Scale").fill("0.8");

  // Transparent with TIFF: on the colour and on the format.
  await page.getByRole("radio", { name: "Shadows" }).click();
  await page.getByLabel("Transparent background").check();
  await page.getByLabel("File format").selectOption("tiff");
  await expect(page.locator("[data-field-error=scene-color]")).toContainText("TIFF has no transparency");
  await expect(page.locator("[data-field-error=output-format]")).toContainText("choose PNG, WebP or AVIF");
  await expect(generate).toBeDisabled();
  await screenshot(testInfo, "judged-transparent-tiff");
  await page.getByLabel("File format").selectOption("png");
  await expect(generate).toBeEnabled();
  await page.getByLabel("Transparent background").uncheck();
  await page.getByRole("radio", { name: "Prompt" }).click();
  expect(started.length).toBe(count);
});

test("errors speak plainly: sizes in MB before uploading, a non-image says so, a failed import keeps its URL", async ({}, testInfo) => {
  const slot = page.locator("[data-slot=product]");
  const sent = uploads.length;
  await page.getByTestId("product-file").setInputFiles({
    name: "huge.png",
    mimeType: "image/png",
    buffer: Buffer.alloc(26 * 1024 * 1024, 1),
  });
  await expect(page.getByTestId("product-error")).toHaveText(
    "“huge.png” is 26 MB; images can be at most 25 MB.",
  );
  await dropFile("[data-testid=canvas]", Buffer.from("shopping list"), "notes.txt", "text/plain");
  await expect(page.getByTestId("product-error")).toHaveText(
    "“notes.txt” is not an image. Use a PNG, JPEG, WebP, AVIF or TIFF file.",
  );
  expect(uploads.length).toBe(sent);
  await expect(page.getByTestId("product-size")).toHaveText(`${PRODUCT.width} × ${PRODUCT.height}`);

  await slot.getByRole("button", { name: "Import URL" }).click();
  await slot.getByLabel("Product image URL").fill("http://127.0.0.1:9/gone.png");
  await slot.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByTestId("product-error")).not.toHaveText(/“notes\.txt”/);
  await expect(page.getByTestId("product-error")).not.toContainText(/_|\(\w+\)/);
  await expect(slot.getByLabel("Product image URL")).toHaveValue("http://127.0.0.1:9/gone.png");
  await screenshot(testInfo, "plain-errors");
});
