import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

import { curlCommand, shellQuote } from "@/components/gallery/curl";

import { promptRequest } from "./support";

/** What a POSIX shell makes of a word: the test runs the real shell, not a re-implementation of it. */
function shellWords(command: string): string[] {
  const out = execFileSync("sh", ["-c", `for a in ${command}; do printf '%s\\0' "$a"; done`], {
    encoding: "utf8",
  });
  return out.split("\0").slice(0, -1);
}

describe("the gallery's cURL command", () => {
  it("quotes any text so the shell reads it back unchanged", () => {
    for (const text of ["plain", "it's", "'''", "$HOME `id` $(id)", "a\nb", "back\\slash", '"double"', ""]) {
      expect(execFileSync("sh", ["-c", `printf '%s' ${shellQuote(text)}`], { encoding: "utf8" })).toBe(text);
    }
  });

  it("sends the exact request body, with a placeholder token, to this server's endpoint", () => {
    const request = promptRequest("the chef's table, 'quoted' & $priced");
    const command = curlCommand(request, "https://backdrop.example.com", "claid");
    expect(command).toContain("'Authorization: Bearer $BACKDROP_TOKEN'");
    const dataArg = /-d ('(?:[^']|'\\'')*')$/.exec(command)?.[1] ?? "";
    expect(JSON.parse(shellWords(dataArg)[0] ?? "")).toEqual(request);
    expect(shellWords(command.split(" \\\n")[0]?.replace(/^curl -X POST /, "") ?? "")).toEqual([
      "https://backdrop.example.com/v1/scene/create?engine=claid",
    ]);
  });
});
