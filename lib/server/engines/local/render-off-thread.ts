import "server-only";

import { Worker } from "node:worker_threads";

import { threadPool } from "../../threads/pool";
import type { RenderedScene, SceneRenderJob } from "./render-scene";
import { renderScene } from "./render-scene";

/**
 * A draft's pixels are tens of milliseconds of JavaScript and libvips calls (placing the product,
 * the shadow, the backdrop, blending, encoding). On the request's thread they would queue behind, and
 * hold up, every request of the process: under load that thread is what runs out first. So drafts
 * render on threads of their own (`lib/server/threads/pool.ts`), at most `threads` at once; 0 renders
 * them in the calling thread.
 */
export async function renderSceneOffThread(
  job: SceneRenderJob,
  threads: number,
): Promise<RenderedScene & { threadId: number }> {
  const pool = threadPool<SceneRenderJob, RenderedScene>({
    name: "render",
    threads,
    caller: import.meta.url,
    entry: "render-thread.ts",
    bundled: () => new Worker(new URL("./render-thread.ts", import.meta.url)),
    inThisThread: renderScene,
  });
  const { result, threadId } = await pool.run(job);
  return { ...result, threadId };
}
