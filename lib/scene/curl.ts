/**
 * A scene/create request (or an image edit) as a cURL command against this server's Claid-compatible endpoint, for the
 * composer and the gallery to copy. It works when pasted: everything is single-quoted except the
 * token variable, which sits right after the quoted header text in double quotes, so the shell
 * expands `$BACKDROP_TOKEN` from the environment (nobody's credential ends up in a copied command).
 */
import type { SceneCreateRequest } from "./contract";
import type { ImageEditRequest } from "./image-edit";
import { isEditShaped } from "./vocabulary";

/** Shell-safe single-quoted text: a quote inside becomes '\'' (close, escaped quote, reopen). */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The variable the copied command reads the personal access token from. */
export const TOKEN_VARIABLE = "BACKDROP_TOKEN";

export function curlCommand(
  origin: string,
  request: SceneCreateRequest | ImageEditRequest,
  engine?: string,
): string {
  const path = isEditShaped(request) ? "/v1/image/edit" : "/v1/scene/create";
  const url = `${origin}${path}${engine ? `?engine=${encodeURIComponent(engine)}` : ""}`;
  return [
    `curl -X POST ${shellQuote(url)}`,
    `  -H 'Authorization: Bearer '"$${TOKEN_VARIABLE}"`,
    `  -H 'Content-Type: application/json'`,
    `  --data-raw ${shellQuote(JSON.stringify(request, null, 2))}`,
  ].join(" \\\n");
}
