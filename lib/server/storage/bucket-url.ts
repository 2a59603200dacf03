export type BucketLocation = { bucket: string; prefix: string };

const BUCKET_URL = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/;

/** `s3://bucket/some/prefix` as bucket and prefix (no slash at either end), or undefined. */
export function parseBucketUrl(url: string): BucketLocation | undefined {
  const match = BUCKET_URL.exec(url);
  if (!match?.[1]) return undefined;
  const prefix = (match[2] ?? "").replace(/^\/+|\/+$/g, "");
  if (/\/\/|(^|\/)\.\.?(\/|$)/.test(prefix)) return undefined;
  return { bucket: match[1], prefix };
}
