import type { SceneCreateRequest } from "@/lib/scene/contract";

/** A shell-safe single-quoted string. */
function quote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** The request as a cURL command against this server's Claid-compatible endpoint. */
export function curlCommand(origin: string, request: SceneCreateRequest): string {
  return [
    `curl -X POST ${quote(`${origin}/v1/scene/create`)}`,
    `  -H 'Authorization: Bearer '"$BACKDROP_TOKEN"`,
    `  -H 'Content-Type: application/json'`,
    `  --data-raw ${quote(JSON.stringify(request, null, 2))}`,
  ].join(" \\\n");
}
