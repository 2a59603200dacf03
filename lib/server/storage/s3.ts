import "server-only";

import type { S3Client } from "@aws-sdk/client-s3";

import type { BucketLocation, Config } from "../config";
import { errors } from "../errors";
import { log } from "../log";
import { mimeOfExt } from "./mime";
import { isStorageKey, keyOf, type ObjectStore, type OpenedObject, type StoredObject } from "./object-store";

export type S3Settings = Pick<Config, "S3_ENDPOINT" | "S3_REGION" | "S3_FORCE_PATH_STYLE">;

/** Files at or under this size go up in one request; larger ones in parts of this size. */
export const PART_SIZE = 8 * 1024 * 1024;
/** Parts of one file in flight at once: a large file costs at most this many parts of memory. */
const PARTS_IN_FLIGHT = 4;

type Sdk = typeof import("@aws-sdk/client-s3");

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return e?.name === "NoSuchKey" || e?.name === "NotFound" || e?.$metadata?.httpStatusCode === 404;
}

/**
 * Files as objects in an S3-compatible bucket (AWS S3, Cloudflare R2, MinIO), at `<prefix>/<key>`.
 * Credentials come from the SDK's standard chain (`AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`, a
 * profile, an instance role). An object appears whole or not at all, as a renamed file does on disk;
 * a multipart upload that dies half-way is aborted, and one whose process died is invisible to
 * readers until the bucket's lifecycle rule clears it.
 *
 * The SDK loads on first use, so a server on local files never loads it.
 */
export class S3ObjectStore implements ObjectStore {
  private sdk: Promise<{ s3: Sdk; client: S3Client }> | undefined;
  private readonly partSize: number;
  private readonly listPageSize: number | undefined;

  constructor(
    readonly location: BucketLocation,
    private readonly settings: S3Settings,
    options: { partSize?: number; listPageSize?: number } = {},
  ) {
    this.partSize = options.partSize ?? PART_SIZE;
    this.listPageSize = options.listPageSize;
  }

  /** The SDK client, made once (tests look at the requests it sends). */
  async client(): Promise<S3Client> {
    return (await this.connect()).client;
  }

  private connect() {
    this.sdk ??= import("@aws-sdk/client-s3").then((s3) => ({
      s3,
      client: new s3.S3Client({
        region: this.settings.S3_REGION,
        ...(this.settings.S3_ENDPOINT ? { endpoint: this.settings.S3_ENDPOINT } : {}),
        forcePathStyle: this.settings.S3_FORCE_PATH_STYLE,
        // S3-compatible servers differ in the checksum headers they accept; a key is its content's
        // SHA-256 already, so the ones every server understands are enough.
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
        maxAttempts: 3,
        requestHandler: { connectionTimeout: 10_000, requestTimeout: 60_000 },
      }),
    }));
    return this.sdk;
  }

  private objectKey(key: string): string {
    return this.location.prefix ? `${this.location.prefix}/${key}` : key;
  }

  /** Runs one bucket request; a fault of the bucket itself becomes a plain 503. */
  private async request<T>(operation: string, run: (sdk: Sdk, client: S3Client) => Promise<T>): Promise<T> {
    const { s3, client } = await this.connect();
    try {
      return await run(s3, client);
    } catch (error) {
      if (isNotFound(error)) throw error;
      log.warn("object storage request failed", {
        operation,
        bucket: this.location.bucket,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
      throw errors.storageUnavailable(operation);
    }
  }

  async put(bytes: Uint8Array, ext: string): Promise<StoredObject> {
    const { key, sha256 } = keyOf(bytes, ext);
    const params = {
      Bucket: this.location.bucket,
      Key: this.objectKey(key),
      ContentType: mimeOfExt(ext),
      // A key never changes content: whoever is sent here by a presigned link may keep it.
      CacheControl: "private, max-age=31536000, immutable",
    };
    if (bytes.byteLength <= this.partSize) {
      await this.request("put", (s3, client) =>
        client.send(new s3.PutObjectCommand({ ...params, Body: bytes, ContentLength: bytes.byteLength })),
      );
    } else {
      await this.request("put", async (_s3, client) => {
        const { Upload } = await import("@aws-sdk/lib-storage");
        // Parts are views of `bytes`, never copies; a failed upload aborts its parts.
        await new Upload({
          client,
          params: { ...params, Body: bytes },
          partSize: this.partSize,
          queueSize: PARTS_IN_FLIGHT,
          leavePartsOnError: false,
        }).done();
      });
    }
    return { key, size: bytes.byteLength, sha256 };
  }

  async get(key: string): Promise<Buffer | undefined> {
    const opened = await this.getObject(key);
    if (!opened) return undefined;
    const bytes = await opened.Body.transformToByteArray();
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  async stat(key: string): Promise<{ size: number } | undefined> {
    if (!isStorageKey(key)) return undefined;
    try {
      const head = await this.request("stat", (s3, client) =>
        client.send(new s3.HeadObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(key) })),
      );
      return { size: head.ContentLength ?? 0 };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async stream(key: string): Promise<ReadableStream<Uint8Array> | undefined> {
    return (await this.open(key))?.body;
  }

  async open(key: string): Promise<OpenedObject | undefined> {
    const opened = await this.getObject(key);
    if (!opened) return undefined;
    return { size: opened.ContentLength ?? 0, body: opened.Body.transformToWebStream() };
  }

  private async getObject(key: string) {
    if (!isStorageKey(key)) return undefined;
    try {
      const answer = await this.request("get", (s3, client) =>
        client.send(new s3.GetObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(key) })),
      );
      const body = answer.Body;
      return body ? { ContentLength: answer.ContentLength, Body: body } : undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    if (!isStorageKey(key)) return;
    await this.request("delete", (s3, client) =>
      client.send(new s3.DeleteObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(key) })),
    );
  }

  async *list(): AsyncIterable<string> {
    const { s3, client } = await this.connect();
    const prefix = this.location.prefix ? `${this.location.prefix}/` : "";
    let token: string | undefined;
    do {
      const page = await this.request("list", () =>
        client.send(
          new s3.ListObjectsV2Command({
            Bucket: this.location.bucket,
            Prefix: prefix,
            ...(this.listPageSize ? { MaxKeys: this.listPageSize } : {}),
            ...(token ? { ContinuationToken: token } : {}),
          }),
        ),
      );
      for (const object of page.Contents ?? []) {
        const name = object.Key?.slice(prefix.length) ?? "";
        if (isStorageKey(name)) yield name;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /** `disposition`: a whole `Content-Disposition` value the bucket answers with (a download's name). */
  async presignedUrl(
    key: string,
    options: { disposition?: string; expiresInSeconds: number },
  ): Promise<string> {
    if (!isStorageKey(key)) throw new Error(`Not a storage key: ${key.slice(0, 80)}`);
    const { getSignedUrl } = await import("@aws-sdk/s3-request-presigner");
    return this.request("presign", (s3, client) =>
      getSignedUrl(
        client,
        new s3.GetObjectCommand({
          Bucket: this.location.bucket,
          Key: this.objectKey(key),
          ...(options.disposition ? { ResponseContentDisposition: options.disposition } : {}),
        }),
        { expiresIn: options.expiresInSeconds },
      ),
    );
  }
}
