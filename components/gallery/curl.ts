import type { SceneCreateRequest } from "@/lib/scene/contract";

/** Shell-safe single-quoted text: a quote inside becomes '\'' (close, escaped quote, reopen). */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The request as a cURL command against this server's Claid-compatible endpoint. The token is a
 * placeholder: nobody's credential ends up in a copied command.
 */
export function curlCommand(request: SceneCreateRequest, origin: string, engine?: string): string {
  const url = `${origin}/v1/scene/create${engine ? `?engine=${encodeURIComponent(engine)}` : ""}`;
  return [
    `curl -X POST ${shellQuote(url)}`,
    `  -H 'Authorization: Bearer $BACKDROP_TOKEN'`,
    `  -H 'Content-Type: application/json'`,
    `  -d ${shellQuote(JSON.stringify(request, null, 2))}`,
  ].join(" \\\n");
}
