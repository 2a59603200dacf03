import "server-only";

import { and, eq, isNotNull, isNull, sql } from "drizzle-orm";
import sharp from "sharp";

import type { SceneCreateRequest } from "@/lib/scene/contract";
import type { OutputIntegrity } from "@/lib/scene/integrity";
import type { Size } from "@/lib/scene/placement";

import type { Config } from "../../config";
import type { Db } from "../../db/client";
import { generationOutputs, generations } from "../../db/schema/generations";
import { requestProduct, storedTemplateFrame } from "../../engines/request-images";
import { isApiError } from "../../errors";
import type { IntegrityResult, PreparedProduct } from "../../integrity";
import { checkIntegrity, locatedProductBox, prepareProduct, unknownResult } from "../../integrity";
import type { Logger } from "../../log";
import type { ObjectStore } from "../../storage";

export type IntegrityDeps = { db: Db; store: ObjectStore; config: Config; log: Logger };

/** An output to check: its record's id and stored file. */
export type OutputToCheck = { id: string; fileKey: string | null };

type Product = { prepared: PreparedProduct } | { unreadable: string };

async function productOf(deps: IntegrityDeps, request: SceneCreateRequest): Promise<Product> {
  try {
    const product = await requestProduct(request, { config: deps.config, storage: deps.store });
    const prepared = await prepareProduct(product);
    return prepared ? { prepared } : { unreadable: "The product image's pixels do not match its size" };
  } catch (error) {
    const why = isApiError(error) ? error.message : "it could not be read";
    return { unreadable: `The product image could not be read again to compare: ${why}` };
  }
}

function stored(result: IntegrityResult, located: OutputIntegrity["product_box"]): OutputIntegrity {
  const checkedAt = new Date().toISOString();
  if (result.verdict === "unknown") {
    return {
      verdict: "unknown",
      similarity: null,
      offset_px: null,
      scale_ratio: null,
      code: result.code,
      reason: result.reason,
      ...(located ? { product_box: located } : {}),
      checked_at: checkedAt,
    };
  }
  return {
    verdict: result.verdict,
    similarity: Math.round(result.similarity * 1000) / 1000,
    offset_px: result.offset_px,
    scale_ratio: result.scale_ratio,
    ...(located ? { product_box: located } : {}),
    ...(result.worst_region ? { worst_region: result.worst_region } : {}),
    checked_at: checkedAt,
  };
}

async function checkOne(
  request: SceneCreateRequest,
  product: PreparedProduct,
  frame: Size | undefined,
  bytes: Buffer,
): Promise<OutputIntegrity> {
  const result = await checkIntegrity({ request, output: bytes, product, ...(frame ? { frame } : {}) });
  let located: OutputIntegrity["product_box"];
  try {
    const meta = await sharp(bytes).metadata();
    const swapped = (meta.orientation ?? 1) >= 5;
    const output = {
      width: (swapped ? meta.height : meta.width) ?? 0,
      height: (swapped ? meta.width : meta.height) ?? 0,
    };
    located = locatedProductBox({ request, product, output, frame }, result);
  } catch {
    located = undefined;
  }
  return stored(result, located);
}

/** Writes the verdicts in one statement. */
async function record(db: Db, verdicts: ReadonlyMap<string, OutputIntegrity>): Promise<void> {
  if (verdicts.size === 0) return;
  const rows = [...verdicts].map(
    ([id, integrity]) => sql`(${id}::text, ${JSON.stringify(integrity)}::jsonb)`,
  );
  const t = generationOutputs;
  await db.execute(sql`update ${t} set ${sql.identifier(t.integrity.name)} = v.integrity
    from (values ${sql.join(rows, sql`, `)}) as v(id, integrity)
    where ${t.id} = v.id`);
}

/**
 * Checks the stored outputs of one generation against its request's product and records each
 * verdict. The product is read and decoded once for all of them (a draft's is still in the local
 * engine's memory). An output that cannot be judged gets `unknown` with the reason; a missing file
 * gets nothing (the consistency check reports it). Answers the verdicts by output id.
 */
export async function checkOutputs(
  deps: IntegrityDeps,
  generation: { id: string; request: SceneCreateRequest },
  outputs: readonly OutputToCheck[],
): Promise<Map<string, OutputIntegrity>> {
  const verdicts = new Map<string, OutputIntegrity>();
  const files = outputs.filter((o): o is { id: string; fileKey: string } => o.fileKey !== null);
  if (files.length === 0) return verdicts;
  const [product, frame] = await Promise.all([
    productOf(deps, generation.request),
    storedTemplateFrame(generation.request, deps.store),
  ]);
  for (const output of files) {
    const bytes = await deps.store.get(output.fileKey);
    if (!bytes) continue;
    verdicts.set(
      output.id,
      "unreadable" in product
        ? stored(unknownResult("product_unreadable", product.unreadable), undefined)
        : await checkOne(generation.request, product.prepared, frame, bytes),
    );
  }
  await record(deps.db, verdicts);
  return verdicts;
}

/**
 * Checks the stored outputs of generation `id` that have no verdict yet (every stored output with
 * `again`), for outputs recovered after a restart and outputs stored before checks existed.
 */
export async function checkGeneration(
  deps: IntegrityDeps,
  id: string,
  options: { again?: boolean } = {},
): Promise<Map<string, OutputIntegrity>> {
  const [generation] = await deps.db
    .select({ id: generations.id, kind: generations.kind, request: generations.request })
    .from(generations)
    .where(eq(generations.id, id));
  // Image edits change the product on purpose: nothing to hold them to.
  if (!generation || generation.kind !== "scene") return new Map();
  const outputs = await deps.db
    .select({ id: generationOutputs.id, fileKey: generationOutputs.fileKey })
    .from(generationOutputs)
    .where(
      and(
        eq(generationOutputs.generationId, id),
        isNotNull(generationOutputs.fileKey),
        options.again ? undefined : isNull(generationOutputs.integrity),
      ),
    );
  return checkOutputs(
    deps,
    { id: generation.id, request: generation.request as SceneCreateRequest },
    outputs,
  );
}
