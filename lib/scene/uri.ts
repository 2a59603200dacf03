import { fullFormats } from "ajv-formats/dist/formats";

const uriFormat = fullFormats.uri;

/**
 * RFC 3986 absolute URI, judged by the same function ajv-formats uses for `format: "uri"`, so our
 * verdict and the published JSON schema's cannot drift apart.
 */
export function isUri(value: string): boolean {
  return typeof uriFormat === "function" && uriFormat(value);
}
