/**
 * A public Claid pipeline, run unchanged against Claid (the stand-in) and against Backdrop: upload a
 * product photo with background removal, then scene/create with the URL the upload answered. Only the
 * base URL and the key differ between the runs. Backdrop's route handlers are served over real HTTP
 * here, so the client talks to them exactly as it talks to Claid.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { GET as fileGet } from "@/app/api/files/[key]/route";
import { POST as editPost } from "@/app/api/image/edit/route";
import { POST as uploadPost } from "@/app/api/image/edit/upload/route";
import { POST as scenePost } from "@/app/api/scene/create/route";
import { imageEditResponse } from "@/lib/scene/image-edit";
import { SCENE_PATH, startClaidStandin, UPLOAD_PATH, type ClaidStandin } from "@/test/support/claid-standin";

import { boxOnWhiteJpeg } from "../engines/local/edit/harness";
import { STANDIN_CLAID, TEST_CLAID_KEY, testConfig } from "../support/config";
import { freePort } from "../support/free-port";
import { memberToken } from "../support/member-token";

/** What a Claid client knows: a base URL and a key. Written the way Claid's docs show the calls. */
function claidClient(baseUrl: string, apiKey: string) {
  const auth = { authorization: `Bearer ${apiKey}` };
  return {
    async upload(file: Buffer, data: unknown) {
      const form = new FormData();
      form.set("file", new Blob([new Uint8Array(file)], { type: "image/jpeg" }), "product.jpg");
      form.set("data", JSON.stringify(data));
      const response = await fetch(`${baseUrl}/v1/image/edit/upload`, {
        method: "POST",
        headers: auth,
        body: form,
      });
      if (!response.ok) throw new Error(`upload: ${response.status} ${await response.text()}`);
      return imageEditResponse.parse(await response.json()).data.output;
    },
    async sceneCreate(body: unknown) {
      const response = await fetch(`${baseUrl}/v1/scene/create`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`scene/create: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { data: { output: { tmp_url: string; width: number }[] } }).data
        .output;
    },
  };
}

/** The pipeline: a cutout by upload, then a scene around it, from the upload's own URL. */
async function pipeline(client: ReturnType<typeof claidClient>, photo: Buffer) {
  const uploaded = await client.upload(photo, {
    operations: { background: { remove: true, color: "transparent" } },
    output: { format: "png" },
  });
  const outputs = await client.sceneCreate({
    object: { image_url: uploaded.tmp_url, scale: 0.7 },
    scene: { effect: "shadows", color: "#eeeeee", aspect_ratio: "1:1" },
    output: { number_of_images: 1, format: "png" },
  });
  return { uploaded, outputs };
}

type Handler = (request: Request, context?: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Backdrop's Claid-facing routes over HTTP, as `next start` serves them (with its rewrites). */
async function serveBackdrop(port: number) {
  const routes: Record<string, Handler> = {
    "POST /v1/scene/create": scenePost,
    "POST /v1/image/edit": editPost,
    "POST /v1/image/edit/upload": uploadPost,
  };
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === "string") headers.set(name, value);
      }
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      const request = new Request(url, {
        method: req.method,
        headers,
        ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: "half" } : {}),
      } as RequestInit);
      const file = /^\/api\/files\/([^/]+)$/.exec(url.pathname);
      const handler = file ? fileGet : routes[`${req.method} ${url.pathname}`];
      const response = handler
        ? await handler(request, {
            params: Promise.resolve<Record<string, string>>(file ? { key: file[1]! } : {}),
          })
        : new Response("not found", { status: 404 });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let standin: ClaidStandin;
let backdrop: Awaited<ReturnType<typeof serveBackdrop>>;
let token: string;
let photo: Buffer;
let port: number;

function env(engine: "local" | "claid") {
  return testConfig({
    ...STANDIN_CLAID,
    PORT: String(port),
    CLAID_API_BASE_URL: standin.url,
    DEFAULT_ENGINE: engine,
    RATE_LIMIT_CLAID_PER_MINUTE: "10000",
    RATE_LIMIT_LOCAL_PER_MINUTE: "10000",
    DAILY_CLAID_IMAGE_BUDGET: "100000",
  });
}

beforeAll(async () => {
  standin = await startClaidStandin({ apiKey: TEST_CLAID_KEY });
  port = await freePort();
  token = await memberToken(env("local"));
  backdrop = await serveBackdrop(port);
  photo = await boxOnWhiteJpeg();
}, 180_000);
afterAll(async () => {
  await backdrop?.close();
  await standin?.close();
});
afterEach(() => standin.reset());

describe("a Claid client's upload → scene/create pipeline", () => {
  it("runs against Claid itself (the stand-in), the reference", async () => {
    const { uploaded, outputs } = await pipeline(claidClient(standin.url, TEST_CLAID_KEY), photo);
    expect(uploaded.tmp_url).toMatch(new RegExp(`^${standin.url}/files/`));
    expect(outputs).toHaveLength(1);
  });

  it("runs against Backdrop on drafts, with only the base URL and the token changed", async () => {
    env("local");
    const { uploaded, outputs } = await pipeline(claidClient(backdrop.url, token), photo);
    // Signed like Claid's own links: it opens without credentials, and scene/create takes it as is.
    expect(uploaded.tmp_url).toMatch(
      new RegExp(`^${backdrop.url}/api/files/[0-9a-f]{64}\\.png\\?expires=\\d+&signature=[\\w-]+$`),
    );
    expect(uploaded.claid_storage_uri).toMatch(/^backdrop:\/\/files\//);
    expect(outputs).toHaveLength(1);
    expect(outputs[0]!.tmp_url).toMatch(new RegExp(`^${backdrop.url}/api/files/`));
    // The scene shows the cutout: the product is placed without the white box it was shot on.
    // Fetched as a client hands the link on: with no credentials of ours.
    const result = await fetch(outputs[0]!.tmp_url);
    expect(result.status).toBe(200);
    const { data, info } = await sharp(Buffer.from(await result.arrayBuffer()))
      .raw()
      .toBuffer({ resolveWithObject: true });
    let white = 0;
    for (let i = 0; i < data.length; i += info.channels) {
      if (data[i]! > 250 && data[i + 1]! > 250 && data[i + 2]! > 250) white++;
    }
    expect(white / (info.width * info.height)).toBeLessThan(0.01);
    expect(standin.calls).toHaveLength(0);
  });

  it("runs against Backdrop on Claid, which gets the cutout through its own upload API", async () => {
    env("claid");
    const { outputs } = await pipeline(claidClient(backdrop.url, token), photo);
    expect(outputs).toHaveLength(1);
    expect(outputs[0]!.tmp_url).toMatch(new RegExp(`^${backdrop.url}/api/files/`));
    const [scene] = standin.callsTo(SCENE_PATH);
    const sent = scene?.body as { object: { image_url: string } };
    expect(sent.object.image_url).toMatch(new RegExp(`^${standin.url}/files/`));
    expect(standin.callsTo(UPLOAD_PATH).length).toBeGreaterThanOrEqual(1);
  });
});
