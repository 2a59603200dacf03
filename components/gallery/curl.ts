import type { SceneCreateRequest } from "@/lib/scene/contract";
import type { ImageEditRequest } from "@/lib/scene/image-edit";
import { isEditShaped } from "@/lib/scene/vocabulary";

/** Shell-safe single-quoted text: a quote inside becomes '\'' (close, escaped quote, reopen). */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The request as a cURL command against this server's Claid-compatible endpoint. The token is a
 * placeholder: nobody's credential ends up in a copied command.
 */
export function curlCommand(
  request: SceneCreateRequest | ImageEditRequest,
  origin: string,
  engine?: string,
): string {
  const path = isEditShaped(request) ? "/v1/image/edit" : "/v1/scene/create";
  const url = `${origin}${path}${engine ? `?engine=${encodeURIComponent(engine)}` : ""}`;
  return [
    `curl -X POST ${shellQuote(url)}`,
    `  -H 'Authorization: Bearer $BACKDROP_TOKEN'`,
    `  -H 'Content-Type: application/json'`,
    `  -d ${shellQuote(JSON.stringify(request, null, 2))}`,
  ].join(" \\\n");
}
