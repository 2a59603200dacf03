/**
 * The body of a render thread (see `render-off-thread.ts`): renders a draft's variants. The encoded
 * images travel back transferred; the product's pixels came shared, never copied.
 */
import { movable, serveJobs } from "../../threads/serve";
import type { RenderedScene, SceneRenderJob } from "./render-scene";
import { renderScene } from "./render-scene";

serveJobs<SceneRenderJob, RenderedScene>(async (job) => {
  const { frame, images } = await renderScene(job);
  const moved = images.map(movable);
  return { result: { frame, images: moved }, transfer: moved.map((image) => image.buffer) };
});
