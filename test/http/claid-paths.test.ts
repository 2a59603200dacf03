// Claid's paths and answers over real HTTP against the built app under `next start`: scene/create at
// /v1 and /v1-ea, `tmp_url`s a client fetches with no credential of ours, the error envelope for every
// unknown path under /api, /v1 and /v1-ea, and 405 with Allow for a method a route does not take.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { adminToken, startNext, type NextServer } from "../support/next-start";
import { productPng } from "../support/product-images";

let server: NextServer;
let token = "";
let imageUrl = "";

beforeAll(async () => {
  server = await startNext({ DEFAULT_ENGINE: "local", SIGNED_URL_TTL_HOURS: "1" });
  token = await adminToken(server.origin);
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(await productPng())], { type: "image/png" }), "product.png");
  const upload = await fetch(`${server.origin}/api/uploads`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  expect(upload.status).toBe(201);
  imageUrl = `backdrop://files/${((await upload.json()) as { key: string }).key}`;
}, 180_000);

afterAll(async () => {
  await server?.stop();
});

type ErrorBody = { error_code: string; error_type: string; error_message: string; error_details: object };

async function envelope(response: Response): Promise<ErrorBody & { status: number }> {
  expect(response.headers.get("content-type"), `${response.status} ${response.url}`).toMatch(
    /^application\/json/,
  );
  return { status: response.status, ...((await response.json()) as ErrorBody) };
}

function sceneCreate(path: string, body: unknown) {
  return fetch(`${server.origin}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

describe("scene/create as a Claid client calls it", () => {
  it("answers at /v1 and at Claid's older /v1-ea, with tmp_urls that open with no credentials", async () => {
    for (const path of ["/v1/scene/create", "/v1-ea/scene/create"]) {
      const response = await sceneCreate(path, {
        object: { image_url: imageUrl, scale: 0.6 },
        scene: { prompt: "a linen backdrop", aspect_ratio: "16:9" },
        output: { number_of_images: 2, format: "png" },
      });
      expect(response.status, path).toBe(200);
      const answer = (await response.json()) as { data: { output: { tmp_url: string; width: number }[] } };
      expect(answer.data.output).toHaveLength(2);
      for (const output of answer.data.output) {
        expect(output.tmp_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/files\/[a-f0-9]{64}\.png\?expires=/);
        // What a shop, a CDN or a no-code tool does with the link: a plain GET, nothing else.
        const image = await fetch(output.tmp_url);
        expect(image.status).toBe(200);
        expect(image.headers.get("content-type")).toBe("image/png");
        const meta = await sharp(Buffer.from(await image.arrayBuffer())).metadata();
        expect([meta.format, meta.width]).toEqual(["png", output.width]);
      }
    }
  });

  it("serves image/edit and its upload at /v1 and /v1-ea too, with links that open with no credentials", async () => {
    for (const prefix of ["/v1", "/v1-ea"]) {
      const edited = await sceneCreate(`${prefix}/image/edit`, {
        input: imageUrl,
        operations: { padding: "10%" },
        output: { format: "webp" },
      });
      expect(edited.status, prefix).toBe(200);
      const edit = (await edited.json()) as { data: { output: { tmp_url: string; width: number } } };
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(await productPng())], { type: "image/png" }), "p.png");
      const uploaded = await fetch(`${server.origin}${prefix}/image/edit/upload`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
        body: form,
      });
      expect(uploaded.status, prefix).toBe(200);
      const upload = (await uploaded.json()) as { data: { output: { tmp_url: string; width: number } } };
      for (const [output, format] of [
        [edit.data.output, "webp"],
        [upload.data.output, "png"],
      ] as const) {
        expect(output.tmp_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/files\/[a-f0-9]{64}\.\w+\?expires=/);
        const image = await fetch(output.tmp_url);
        expect(image.status).toBe(200);
        const meta = await sharp(Buffer.from(await image.arrayBuffer())).metadata();
        expect([meta.format, meta.width]).toEqual([format, output.width]);
      }
    }
  });

  it("refuses a changed link with 403 and the bare file URL without sign-in with 401", async () => {
    const response = await sceneCreate("/v1/scene/create", {
      object: { image_url: imageUrl },
      scene: { prompt: "a stone plinth" },
    });
    const [output] = ((await response.json()) as { data: { output: { tmp_url: string }[] } }).data.output;
    const link = new URL(output!.tmp_url);
    const signature = link.searchParams.get("signature") ?? "";
    link.searchParams.set("signature", `${signature.startsWith("A") ? "B" : "A"}${signature.slice(1)}`);
    expect(await envelope(await fetch(link))).toMatchObject({ status: 403, error_code: "link_invalid" });
    const bare = new URL(output!.tmp_url);
    bare.search = "";
    expect(await envelope(await fetch(bare))).toMatchObject({ status: 401, error_code: "unauthenticated" });
    // The same bare URL is what the gallery uses, signed in.
    const signedIn = await fetch(bare, { headers: { authorization: `Bearer ${token}` } });
    expect(signedIn.status).toBe(200);
    await signedIn.body?.cancel();
  });
});

describe("paths nothing serves, and methods a route does not take", () => {
  const unknown = [
    "/api/nothing-here",
    "/api/files",
    "/api/generations/a/b/c",
    "/api/v1/scene/create",
    "/v1/nothing-here",
    "/v1/scene",
    "/v1/image/edit/nowhere",
    "/v1-ea/nothing-here",
    "/v1",
    "/v1-ea",
    "/api",
  ];

  it("answers every unknown path under /api, /v1 and /v1-ea with the error envelope's 404", async () => {
    for (const path of unknown) {
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
        const response = await fetch(`${server.origin}${path}`, {
          method,
          headers: method === "GET" ? {} : { "content-type": "application/json" },
          ...(method === "GET" ? {} : { body: "{}" }),
        });
        expect(await envelope(response), `${method} ${path}`).toMatchObject({
          status: 404,
          error_code: "not_found",
          error_type: "general",
          error_message: `There is nothing at ${path}`,
          error_details: { path },
        });
      }
    }
    // A POST that looks like a React server action is no exception.
    const action = await fetch(`${server.origin}/api/nothing-here`, {
      method: "POST",
      headers: { "next-action": "0123456789abcdef", "content-type": "text/plain;charset=UTF-8" },
      body: "[]",
    });
    expect(await envelope(action)).toMatchObject({ status: 404, error_code: "not_found" });
  });

  it("answers a method a route does not take with 405, Allow and the error envelope", async () => {
    const cases: [string, string, string][] = [
      ["GET", "/v1/scene/create", "OPTIONS, POST"],
      ["GET", "/v1-ea/scene/create", "OPTIONS, POST"],
      ["PUT", "/api/scene/create", "OPTIONS, POST"],
      ["DELETE", "/api/health", "GET, HEAD, OPTIONS"],
      [
        "POST",
        "/api/files/0000000000000000000000000000000000000000000000000000000000000000.png",
        "GET, HEAD, OPTIONS",
      ],
      ["PUT", "/api/generations", "GET, HEAD, OPTIONS, POST"],
    ];
    for (const [method, path, allow] of cases) {
      const response = await fetch(`${server.origin}${path}`, { method });
      expect(response.headers.get("allow"), `${method} ${path}`).toBe(allow);
      expect(await envelope(response), `${method} ${path}`).toMatchObject({
        status: 405,
        error_code: "method_not_allowed",
        error_details: { method, allowed: allow.split(", ") },
      });
    }
    const options = await fetch(`${server.origin}/api/health`, { method: "OPTIONS" });
    expect([options.status, options.headers.get("allow")]).toEqual([204, "GET, HEAD, OPTIONS"]);
    const head = await fetch(`${server.origin}/api/health`, { method: "HEAD" });
    expect([head.status, (await head.arrayBuffer()).byteLength]).toEqual([200, 0]);
  });
});

describe("the README's API examples", () => {
  const readme = fs.readFileSync(path.resolve(import.meta.dirname, "../../README.md"), "utf8");
  /** The code blocks in `lang` after `heading`, in order. */
  const blocksAfter = (heading: string, lang: string) =>
    [
      ...readme.slice(readme.indexOf(heading)).matchAll(new RegExp("```" + lang + "\\n([\\s\\S]*?)```", "g")),
    ].map((m) => m[1] ?? "");

  /** A block of commands run by `sh` as a reader pastes it, with their address and token set. */
  async function paste(commands: string, cwd: string): Promise<string> {
    const { stdout } = await promisify(execFile)("sh", ["-c", commands], {
      cwd,
      env: {
        NODE_ENV: "test",
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        BACKDROP_URL: server.origin,
        BACKDROP_TOKEN: token,
      },
      timeout: 60_000,
    });
    return stdout;
  }

  it("uploads product.png with the upload example as written, and generates with its key", async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "backdrop-readme-"));
    fs.writeFileSync(path.join(folder, "product.png"), await productPng());
    const [upload = ""] = blocksAfter("### Uploading an image", "sh");
    expect(upload).toContain('-F "file=@product.png"');
    const answer = JSON.parse(await paste(upload, folder)) as Record<string, unknown>;
    // The answer has the fields the README shows, and the README shows every field it has.
    const documented = JSON.parse(blocksAfter("### Uploading an image", "json")[0] ?? "") as object;
    expect(Object.keys(answer).sort()).toEqual(Object.keys(documented).sort());
    expect(answer).toMatchObject({
      width: 600,
      height: 400,
      format: "png",
      hasAlpha: true,
      objectBox: { x: 100, y: 100, width: 400, height: 200 },
    });

    // The scene/create example next to it (after the block that sets the address and token).
    const scene = blocksAfter("Set the address and your personal access token", "sh")[1] ?? "";
    expect(scene).toContain("backdrop://files/<key>");
    const generated = JSON.parse(await paste(scene.replace("<key>", String(answer.key)), folder)) as {
      data: { output: { tmp_url: string }[] };
    };
    expect(generated.data.output.length).toBeGreaterThan(0);
    fs.rmSync(folder, { recursive: true, force: true });
  });
});
