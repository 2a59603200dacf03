// The copied cURL command, run as a person runs it: pasted into a real shell with BACKDROP_TOKEN set,
// against a loopback server that answers 200 only to the right token and the exact body.
import { execFile, execFileSync } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { sceneCreateRequest, type SceneCreateRequest } from "@/lib/scene/contract";
import { curlCommand, shellQuote } from "@/lib/scene/curl";
import type { ImageEditRequest } from "@/lib/scene/image-edit";

const run = promisify(execFile);
const TOKEN = "bd_test-token-for-the-copied-command";

const request: SceneCreateRequest = sceneCreateRequest.parse({
  object: { image_url: "https://images.example.com/product.png", scale: 0.6 },
  scene: { prompt: "the chef's table, 'quoted' & $priced `id` $(id) \\ back\nslash", aspect_ratio: "1:1" },
  output: { number_of_images: 2, format: "png" },
});

let server: http.Server;
let origin: string;
const seen: { authorization?: string; url?: string; body?: unknown }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
    req.on("end", () => {
      const body = raw ? (JSON.parse(raw) as unknown) : undefined;
      seen.push({ authorization: req.headers.authorization, url: req.url, body });
      const ok =
        req.method === "POST" &&
        req.headers.authorization === `Bearer ${TOKEN}` &&
        req.headers["content-type"] === "application/json";
      res.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
      res.end(JSON.stringify(ok ? { data: { output: [] } } : { error_code: "unauthenticated" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The command pasted into `sh`, with curl told to print only the status. */
async function paste(command: string, env: Record<string, string>): Promise<string> {
  const { stdout } = await run("sh", ["-c", `${command} -sS -o /dev/null -w '%{http_code}'`], {
    env: { NODE_ENV: "test", PATH: process.env.PATH ?? "/usr/bin:/bin", ...env },
    timeout: 20_000,
  });
  return stdout;
}

describe("the copied cURL command", () => {
  it("quotes any text so the shell reads it back unchanged", () => {
    for (const text of ["plain", "it's", "'''", "$HOME `id` $(id)", "a\nb", "back\\slash", '"double"', ""]) {
      expect(execFileSync("sh", ["-c", `printf '%s' ${shellQuote(text)}`], { encoding: "utf8" })).toBe(text);
    }
  });

  it("gets 200 when pasted with BACKDROP_TOKEN set, sending the token and the exact body", async () => {
    seen.length = 0;
    const status = await paste(curlCommand(origin, request, "claid"), { BACKDROP_TOKEN: TOKEN });
    expect(status).toBe("200");
    expect(seen).toEqual([
      { authorization: `Bearer ${TOKEN}`, url: "/v1/scene/create?engine=claid", body: request },
    ]);
  });

  it("sends what the variable holds, not the variable's name, and no token when it is unset", async () => {
    seen.length = 0;
    expect(await paste(curlCommand(origin, request), { BACKDROP_TOKEN: "bd_someone-else" })).toBe("401");
    expect(await paste(curlCommand(origin, request), {})).toBe("401");
    expect(seen.map((s) => s.authorization)).toEqual(["Bearer bd_someone-else", "Bearer"]);
    expect(curlCommand(origin, request)).not.toContain(TOKEN);
  });

  it("sends an image edit from the gallery to image/edit, body unchanged", async () => {
    seen.length = 0;
    const edit: ImageEditRequest = {
      input: "backdrop://files/abc.jpg",
      operations: { background: { remove: true, color: "transparent" }, padding: "10%" },
      output: { format: "png" },
    };
    expect(await paste(curlCommand(origin, edit, "local"), { BACKDROP_TOKEN: TOKEN })).toBe("200");
    expect(seen).toEqual([
      { authorization: `Bearer ${TOKEN}`, url: "/v1/image/edit?engine=local", body: edit },
    ]);
  });
});
