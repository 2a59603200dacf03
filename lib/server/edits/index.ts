import "server-only";

import type { OutputImage } from "@/lib/scene/contract";
import type { CutoutAnswer } from "@/lib/scene/cutout";
import type { Engine } from "@/lib/scene/generation";
import {
  hasOperations,
  uploadData,
  type ImageEditRequest,
  type ImageEditResponse,
  type UploadData,
} from "@/lib/scene/image-edit";
import { storedImageKey, storedImageUrl } from "@/lib/scene/image-ref";

import type { Principal } from "../auth/authorize";
import { getConfig } from "../config";
import { errors } from "../errors";
import { generations } from "../generations";
import { receiveUploadForm } from "../images/upload";
import { signedFileLinks } from "../storage/signed-links";
import { recordUpload } from "../uploads/records";
import { imageInfoOf, keepEditResult } from "./results";

/** The bucket name our own storage goes by in Claid's upload envelope. */
export const OWN_BUCKET = "backdrop";

/** The `data` field of an upload, read and checked (422 naming `data.…` when it is wrong). */
function parseUploadData(text: string | undefined): UploadData | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    throw errors.invalid(
      "data",
      `The data field is not valid JSON: ${error instanceof Error ? error.message : "unreadable"}`,
    );
  }
  const parsed = uploadData.safeParse(value);
  if (!parsed.success) {
    throw errors.validation(
      parsed.error.issues.map((issue) => ({ ...issue, path: ["data", ...issue.path] })),
      "Some fields of data are not valid",
    );
  }
  return parsed.data;
}

/** One of our stored files as Claid's upload envelope names an output. */
function storedOutput(info: OutputImage, key: string, origin: string): OutputImage {
  return {
    ...info,
    // Signed like scene/create's links: a client may hand it on, and it opens without our credentials.
    tmp_url: signedFileLinks(getConfig(), origin)(key),
    object_key: key,
    object_bucket: OWN_BUCKET,
    object_uri: storedImageUrl(key),
    claid_storage_uri: storedImageUrl(key),
  };
}

type Caller = { principal: Principal; engine: Engine; origin: string; signal?: AbortSignal };

/**
 * Image edits that end as images held here: Claid's upload API, and background removal in the
 * composer. Both record a generation only when there is something to do, and keep its result as an
 * upload linked to the image it was made from.
 */
export const edits = {
  /**
   * `POST /v1/image/edit/upload`: the file stored as an upload (the same intake as
   * `POST /api/uploads`), `data`'s operations applied like `POST /v1/image/edit`, and Claid's upload
   * envelope answered. `object_uri` and `claid_storage_uri` name the result as `backdrop://files/…`,
   * which scene/create and image/edit take as an input (so does the `tmp_url`, on this server).
   */
  async upload(request: Request, caller: Caller): Promise<ImageEditResponse> {
    const { image, fields } = await receiveUploadForm(request, caller.principal);
    // A `data` field that is not valid leaves no upload in the list.
    const data = parseUploadData(fields.get("data"));
    await recordUpload(image, caller.principal);
    const input = imageInfoOf(image.original);
    if (!data || (!hasOperations(data.operations) && data.output === undefined)) {
      return { data: { input, output: storedOutput(imageInfoOf(image), image.key, caller.origin) } };
    }
    // `input` first, then `data` exactly as given: the body a client would have sent to image/edit.
    const edit: ImageEditRequest = { input: image.url, ...data };
    const { response, result, generationId } = await generations.editImage({
      request: edit,
      requestText: JSON.stringify(edit),
      engine: caller.engine,
      principal: caller.principal,
      origin: caller.origin,
      ...(caller.signal ? { signal: caller.signal } : {}),
    });
    const [output] = result.outputs;
    if (output?.destination) return { data: { ...response.data, input } };
    const kept = await keepEditResult(output, image, generationId, caller.principal);
    return {
      data: {
        input,
        output: {
          ...storedOutput(response.data.output, kept.key, caller.origin),
          generation_id: generationId,
        },
        generation_id: generationId,
      },
    };
  },

  /**
   * `POST /api/cutouts`: the background of an image held here removed (a transparent PNG), on the
   * local engine (free, plain backgrounds) or Claid (billed, any background), kept as a new upload
   * linked to the original.
   */
  async cutout(imageUrl: string, caller: Caller): Promise<CutoutAnswer> {
    const key = storedImageKey(imageUrl);
    if (!key) throw errors.invalid("image_url", "Upload or import the image first (backdrop://files/…)");
    const edit: ImageEditRequest = {
      input: imageUrl,
      operations: { background: { remove: true, color: "transparent" } },
      output: { format: "png" },
    };
    const { result, generationId } = await generations.editImage({
      request: edit,
      requestText: JSON.stringify(edit),
      engine: caller.engine,
      principal: caller.principal,
      origin: caller.origin,
      ...(caller.signal ? { signal: caller.signal } : {}),
    });
    const kept = await keepEditResult(result.outputs[0], { key }, generationId, caller.principal);
    return { ...kept, derivedFrom: imageUrl, generationId, engine: caller.engine };
  },
};
