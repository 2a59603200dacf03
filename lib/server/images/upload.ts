import "server-only";

import { once } from "node:events";
import { Busboy, type BusboyInstance } from "@fastify/busboy";

import type { Principal } from "../auth/principal";
import { getConfig } from "../config";
import { errors } from "../errors";
import { readBodyChunks } from "../http/body";
import { consumeUploadRateLimit } from "../limits/rate-limit";
import { imageLimitsFrom, intakeImage, type StoredImage } from "./intake";
import { imageWorkQueue, withImageAdmission } from "./work-queue";

/** Room for the multipart boundaries and part headers around the file itself. */
const MULTIPART_OVERHEAD = 64 * 1024;

const badMultipart = () =>
  errors.invalid("file", "The body is not readable multipart/form-data", "bad_multipart");

/**
 * The file's bytes, gathered into one buffer of the declared size when the body says its length (so a
 * large upload is held once, not once per chunk and again when joined).
 */
function fileCollector(sizeHint: number | undefined, maxBytes: number) {
  const chunks: Buffer[] = [];
  let buffer = sizeHint ? Buffer.allocUnsafe(Math.min(sizeHint, maxBytes)) : undefined;
  let size = 0;
  return {
    add(chunk: Buffer) {
      if (buffer && size + chunk.byteLength <= buffer.byteLength) chunk.copy(buffer, size);
      else {
        if (buffer) chunks.push(buffer.subarray(0, size));
        buffer = undefined;
        chunks.push(chunk);
      }
      size += chunk.byteLength;
    },
    bytes(): Uint8Array {
      return buffer ? buffer.subarray(0, size) : Buffer.concat(chunks, size);
    },
  };
}

/** Text fields beside the file (Claid's upload API takes its operations as `data`). */
const MAX_FIELD_BYTES = 64 * 1024;

/**
 * The `file` part of a multipart upload, parsed as the body streams in, with the byte limit enforced
 * while it is read (a larger Content-Length is refused before reading anything; a body that keeps
 * going is cut at the limit).
 */
export async function readUploadedFile(request: Request, maxBytes: number): Promise<Uint8Array> {
  return (await readUploadedForm(request, maxBytes)).file;
}

/** The `file` part and the text fields of a multipart upload, read as `readUploadedFile` reads. */
export async function readUploadedForm(
  request: Request,
  maxBytes: number,
): Promise<{ file: Uint8Array; fields: Map<string, string> }> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(contentType))
    throw errors.unsupportedMediaType("multipart/form-data");
  const declared = Number(request.headers.get("content-length") ?? "NaN");

  let parser: BusboyInstance;
  try {
    parser = new Busboy({
      headers: { "content-type": contentType },
      limits: { files: 1, fileSize: maxBytes, fields: 16, fieldSize: MAX_FIELD_BYTES, parts: 32 },
    });
  } catch {
    throw badMultipart();
  }
  let file: ReturnType<typeof fileCollector> | undefined;
  const fields = new Map<string, string>();
  let fieldTooLarge: string | undefined;
  let fileTooLarge = false;
  let failure: unknown;
  const parsed = new Promise<void>((resolve) => {
    parser.on("file", (field, stream) => {
      if (field !== "file" || file) {
        stream.resume();
        return;
      }
      const collector = fileCollector(Number.isFinite(declared) ? declared : undefined, maxBytes);
      file = collector;
      stream.on("data", (chunk: Buffer) => collector.add(chunk));
      stream.on("limit", () => (fileTooLarge = true));
    });
    parser.on("field", (name: string, value: string, nameTruncated: boolean, valueTruncated: boolean) => {
      if (nameTruncated || valueTruncated) fieldTooLarge ??= name;
      else if (!fields.has(name)) fields.set(name, value);
    });
    parser.on("error", (error: unknown) => {
      failure ??= error;
      resolve();
    });
    parser.on("finish", () => resolve());
  });

  for await (const chunk of readBodyChunks(request, maxBytes + MULTIPART_OVERHEAD)) {
    if (failure) continue;
    // An error on the way ends the parse: waiting for `drain` would then wait for ever.
    if (!parser.write(chunk)) await Promise.race([once(parser, "drain").catch(() => undefined), parsed]);
  }
  parser.end();
  await parsed;

  if (fileTooLarge) throw errors.tooLarge(maxBytes);
  if (failure) throw badMultipart();
  if (fieldTooLarge !== undefined) {
    throw errors.invalid(
      fieldTooLarge.slice(0, 40),
      `The form field "${fieldTooLarge.slice(0, 40)}" is longer than ${MAX_FIELD_BYTES / 1024} KB`,
    );
  }
  if (!file) throw errors.invalid("file", 'Send the image as the multipart field "file"', "file_missing");
  return { file: file.bytes(), fields };
}

/**
 * An upload, start to end: the person's allowance, a place in the image queue (503 past it, before
 * the body is read), the file, and its intake.
 */
export async function receiveUpload(request: Request, principal?: Principal): Promise<StoredImage> {
  return (await receiveUploadForm(request, principal)).image;
}

/** `receiveUpload`, with the form's text fields. */
export async function receiveUploadForm(
  request: Request,
  principal?: Principal,
): Promise<{ image: StoredImage; fields: Map<string, string> }> {
  const config = getConfig();
  if (principal) await consumeUploadRateLimit(principal.userId, config);
  return withImageAdmission(imageWorkQueue(config), async () => {
    const limits = imageLimitsFrom(config);
    const { file, fields } = await readUploadedForm(request, limits.maxBytes);
    return { image: await intakeImage(file, { limits }), fields };
  });
}
