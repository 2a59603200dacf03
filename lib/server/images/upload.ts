import "server-only";

import { getConfig } from "../config";
import { errors } from "../errors";
import { readBodyLimited } from "../http/body";
import { imageLimitsFrom, intakeImage, type StoredImage } from "./intake";

/** Room for the multipart boundaries and part headers around the file itself. */
const MULTIPART_OVERHEAD = 64 * 1024;

/**
 * The `file` part of a multipart upload, with the byte limit enforced while the body is read (a larger
 * Content-Length is refused before reading anything; a body that keeps going is cut at the limit).
 */
export async function readUploadedFile(request: Request, maxBytes: number): Promise<Uint8Array> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(contentType))
    throw errors.unsupportedMediaType("multipart/form-data");
  const body = await readBodyLimited(request, maxBytes + MULTIPART_OVERHEAD);
  let form: FormData;
  try {
    // readBodyLimited allocates a fresh ArrayBuffer, never a shared one.
    form = await new Response(body as Uint8Array<ArrayBuffer>, {
      headers: { "content-type": contentType },
    }).formData();
  } catch {
    throw errors.invalid("file", "The body is not readable multipart/form-data", "bad_multipart");
  }
  const file = form.get("file");
  if (!(file instanceof Blob))
    throw errors.invalid("file", 'Send the image as the multipart field "file"', "file_missing");
  if (file.size > maxBytes) throw errors.tooLarge(maxBytes);
  return new Uint8Array(await file.arrayBuffer());
}

export async function receiveUpload(request: Request): Promise<StoredImage> {
  const limits = imageLimitsFrom(getConfig());
  const bytes = await readUploadedFile(request, limits.maxBytes);
  return intakeImage(bytes, { limits });
}
