import "server-only";

import { sceneCreateResponse, type OutputImage, type SceneCreateRequest } from "@/lib/scene/contract";
import { imageEditResponse } from "@/lib/scene/image-edit";
import { destinationOf } from "@/lib/scene/vocabulary";

import { errors, isApiError, type ApiError } from "../../errors";
import type { EngineContext, EngineOutput, EngineResult, ImageEditJob, SceneEngine } from "../types";
import { callClaid } from "./client";
import { downloadOutput, UPSTREAM_RETENTION_MS } from "./download";
import { claidReachableUrl, resolveInputs } from "./inputs";

export { downloadOutput } from "./download";
export type { DownloadedOutput } from "./download";

/** An output as the upstream answered it: its own destination, or a tmp_url valid for a day. */
function receivedOutput(
  output: OutputImage,
  destination: string | undefined,
  ctx: EngineContext,
  upstreamRequestId: string | undefined,
): EngineOutput {
  const { tmp_url: tmpUrl, ...info } = output;
  // Claid names the exact object it wrote; the requested destination may be only its folder.
  if (destination) return { info, destination: info.object_uri ?? info.claid_storage_uri ?? destination };
  if (!tmpUrl) {
    ctx.log.warn("claid output without tmp_url", { upstreamRequestId });
    return { info };
  }
  return { info, upstreamUrl: tmpUrl, upstreamExpiresAt: new Date(Date.now() + UPSTREAM_RETENTION_MS) };
}

/** Downloads an output into our storage; on failure it keeps only its upstream URL, to try again later. */
async function keepOutput(
  output: EngineOutput,
  ctx: EngineContext,
  upstreamRequestId: string | undefined,
): Promise<EngineOutput> {
  if (!output.upstreamUrl) return output;
  try {
    const stored = await downloadOutput(output.upstreamUrl, ctx);
    return { ...output, key: stored.key, size: stored.size };
  } catch (error) {
    // The credits are spent and the tmp_url lives a day: keep it so the download can be tried again.
    ctx.log.error("claid output not downloaded; kept its upstream URL", {
      upstreamRequestId,
      error: error instanceof Error ? error.message : String(error),
    });
    return output;
  }
}

async function createScene(request: SceneCreateRequest, ctx: EngineContext): Promise<EngineResult> {
  const started = performance.now();
  const { body, uploads } = await resolveInputs(request, ctx);
  const uploaded = performance.now();

  const answer = await callClaid(
    {
      path: "/v1/scene/create",
      body: new TextEncoder().encode(JSON.stringify(body)),
      contentType: "application/json",
      timeoutMs: ctx.config.CLAID_TIMEOUT_MS,
      what: "scene/create",
    },
    callOptions(ctx),
  ).catch(sentMaybeCharged);
  const generated = performance.now();
  const upstreamRequestId = answer.requestId;

  const parsed = sceneCreateResponse.safeParse(answer.json);
  if (!parsed.success) {
    ctx.log.error("claid scene/create answered 2xx with an unexpected body", { upstreamRequestId });
    throw unexpectedAnswer("scene/create", upstreamRequestId);
  }

  const destination = destinationOf(request);
  const received = parsed.data.data.output.map((output) =>
    receivedOutput(output, destination, ctx, upstreamRequestId),
  );
  if (ctx.keepUpstreamResults && received.some((output) => output.upstreamUrl)) {
    try {
      await ctx.keepUpstreamResults(received, { input: parsed.data.data.input, upstreamRequestId });
    } catch (error) {
      ctx.log.warn("claid results not recorded before their download", {
        upstreamRequestId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  const outputs = await Promise.all(received.map((output) => keepOutput(output, ctx, upstreamRequestId)));
  const finished = performance.now();

  return {
    input: parsed.data.data.input,
    outputs,
    ...(upstreamRequestId ? { upstreamRequestId } : {}),
    timings: {
      upload_ms: uploaded - started,
      uploads,
      upstream_ms: generated - uploaded,
      upstream_attempts: answer.attempts,
      download_ms: finished - generated,
      total_ms: finished - started,
    },
  };
}

/** How every call to Claid goes out: paced, and announced to the record just before it is sent. */
function callOptions(ctx: EngineContext) {
  return {
    config: ctx.config,
    log: ctx.log,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.pacer ? { pacer: ctx.pacer } : {}),
    ...(ctx.beforeUpstreamCall ? { beforeSend: ctx.beforeUpstreamCall } : {}),
  };
}

/** A call that failed after its body was delivered may have been billed: it says so. */
function sentMaybeCharged(error: unknown): never {
  throw isApiError(error) && error.details.sent === true ? errors.possiblyCharged(error) : error;
}

function unexpectedAnswer(what: string, upstreamRequestId: string | undefined): ApiError {
  return errors.possiblyCharged(
    errors.upstreamUnavailable(`${what}: the upstream answer does not match the contract`, {
      ...(upstreamRequestId ? { upstream_request_id: upstreamRequestId } : {}),
    }),
  );
}

/**
 * `POST /v1/image/edit` forwarded: the body exactly as the client sent it (its text, fields in their
 * order), except that an input held here is replaced by the URL Claid's upload API gave it. The one
 * result is downloaded into our storage like a scene's.
 */
async function editImage(job: ImageEditJob, ctx: EngineContext): Promise<EngineResult> {
  const started = performance.now();
  const given = job.requestText ?? JSON.stringify(job.request);
  const input = await claidReachableUrl(job.request.input, "input", ctx);
  const body =
    input.url === job.request.input
      ? given
      : // Spreading keeps every field where it was; only `input` changes its value.
        JSON.stringify({ ...(JSON.parse(given) as Record<string, unknown>), input: input.url });
  const uploaded = performance.now();

  const answer = await callClaid(
    {
      path: "/v1/image/edit",
      body: new TextEncoder().encode(body),
      contentType: "application/json",
      timeoutMs: ctx.config.CLAID_TIMEOUT_MS,
      what: "image/edit",
    },
    callOptions(ctx),
  ).catch(sentMaybeCharged);
  const edited = performance.now();
  const upstreamRequestId = answer.requestId;

  const parsed = imageEditResponse.safeParse(answer.json);
  if (!parsed.success) {
    ctx.log.error("claid image/edit answered 2xx with an unexpected body", { upstreamRequestId });
    throw unexpectedAnswer("image/edit", upstreamRequestId);
  }
  const received = receivedOutput(
    parsed.data.data.output,
    destinationOf(job.request),
    ctx,
    upstreamRequestId,
  );
  if (ctx.keepUpstreamResults && received.upstreamUrl) {
    try {
      await ctx.keepUpstreamResults([received], { input: parsed.data.data.input, upstreamRequestId });
    } catch (error) {
      ctx.log.warn("claid result not recorded before its download", {
        upstreamRequestId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  const output = await keepOutput(received, ctx, upstreamRequestId);
  const finished = performance.now();
  return {
    input: parsed.data.data.input,
    outputs: [output],
    ...(upstreamRequestId ? { upstreamRequestId } : {}),
    timings: {
      upload_ms: uploaded - started,
      uploads: input.uploaded ? 1 : 0,
      upstream_ms: edited - uploaded,
      upstream_attempts: answer.attempts,
      download_ms: finished - edited,
      total_ms: finished - started,
    },
  };
}

export const claidEngine: SceneEngine = { name: "claid", createScene, editImage };
