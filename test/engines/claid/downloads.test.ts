import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { sceneCreateRequest } from "@/lib/scene/contract";
import { claidEngine, downloadOutput } from "@/lib/server/engines/claid";
import { isAllowedDownloadUrl } from "@/lib/server/engines/claid/download";
import { startClaidStandin, type ClaidStandin } from "@/test/support/claid-standin";

import { STANDIN_CLAID, TEST_CLAID_KEY, testConfig } from "../../support/config";
import { captureOutput, engineContext, promptBody } from "./support";

let standin: ClaidStandin;

beforeAll(async () => {
  standin = await startClaidStandin({ apiKey: TEST_CLAID_KEY, imageSize: 256 });
});
afterAll(async () => {
  await standin.close();
});
afterEach(() => {
  standin.reset();
  standin.setOptions({ tmpUrlOrigin: undefined, chunkedDownloads: false });
});

const request = sceneCreateRequest.parse({ ...promptBody, output: { number_of_images: 2, format: "png" } });

function downloadsSeen() {
  return standin.calls.filter((c) => c.method === "GET" && c.path.startsWith("/files/")).length;
}

describe("claid engine: result downloads", () => {
  it("refuses results on a host that is neither the API's nor a download host, and keeps their upstream URL", async () => {
    // Same server, other host name: only the name decides.
    standin.setOptions({ tmpUrlOrigin: `http://localhost:${standin.port}` });
    const ctx = engineContext(testConfig({ ...STANDIN_CLAID, CLAID_API_BASE_URL: standin.url }));
    const output = captureOutput();
    const result = await claidEngine.createScene(request, ctx).finally(() => output.restore());

    expect(downloadsSeen()).toBe(0);
    expect(result.outputs).toHaveLength(2);
    for (const out of result.outputs) {
      expect(out.key).toBeUndefined();
      expect(out.upstreamUrl).toMatch(/^http:\/\/localhost:/);
      expect(out.upstreamExpiresAt).toBeInstanceOf(Date);
    }
    expect(output.text()).toContain("claid download refused: host not allowed");
    expect(output.text()).toContain("claid output not downloaded; kept its upstream URL");
  });

  it("hands the paid results over to be recorded before it downloads them, and only results it will download", async () => {
    const ctx = engineContext(testConfig({ ...STANDIN_CLAID, CLAID_API_BASE_URL: standin.url }));
    const handedOver: { outputs: number; downloadsBefore: number }[] = [];
    const result = await claidEngine.createScene(request, {
      ...ctx,
      keepUpstreamResults: async (outputs) => {
        expect(outputs.every((o) => o.upstreamUrl && o.upstreamExpiresAt && !o.key)).toBe(true);
        handedOver.push({ outputs: outputs.length, downloadsBefore: downloadsSeen() });
      },
    });
    expect(handedOver).toEqual([{ outputs: 2, downloadsBefore: 0 }]);
    expect(result.outputs.every((o) => o.key)).toBe(true);

    const written = sceneCreateRequest.parse({ ...promptBody, output: "storage://bucket/out/" });
    let called = false;
    await claidEngine.createScene(written, { ...ctx, keepUpstreamResults: async () => void (called = true) });
    expect(called).toBe(false);
  });

  it("still downloads and answers when recording the results beforehand fails", async () => {
    const ctx = engineContext(testConfig({ ...STANDIN_CLAID, CLAID_API_BASE_URL: standin.url }));
    const output = captureOutput();
    const result = await claidEngine
      .createScene(request, {
        ...ctx,
        keepUpstreamResults: () => Promise.reject(new Error("database gone")),
      })
      .finally(() => output.restore());
    expect(result.outputs.every((o) => o.key)).toBe(true);
    expect(output.text()).toContain("claid results not recorded before their download");
  });

  it("allows configured download hosts only over https", () => {
    const config = testConfig({
      ...STANDIN_CLAID,
      CLAID_API_BASE_URL: "https://api.claid.ai",
      CLAID_DOWNLOAD_HOSTS: "dl.claid.ai",
    });
    expect(isAllowedDownloadUrl(new URL("https://dl.claid.ai/x/y.png"), config)).toBe(true);
    expect(isAllowedDownloadUrl(new URL("https://api.claid.ai/x/y.png"), config)).toBe(true);
    expect(isAllowedDownloadUrl(new URL("http://dl.claid.ai/x/y.png"), config)).toBe(false);
    expect(isAllowedDownloadUrl(new URL("https://dl.claid.ai.evil.example/y.png"), config)).toBe(false);
    expect(isAllowedDownloadUrl(new URL("https://user:pw@dl.claid.ai/y.png"), config)).toBe(false);
    expect(isAllowedDownloadUrl(new URL("file:///etc/passwd"), config)).toBe(false);
    expect(isAllowedDownloadUrl(new URL("https://169.254.169.254/latest"), config)).toBe(false);
  });

  it.each([false, true])(
    "refuses a result larger than MAX_DOWNLOAD_BYTES (chunked: %s), and a later retry can still keep it",
    async (chunked) => {
      standin.setOptions({ chunkedDownloads: chunked });
      const small = engineContext(
        testConfig({ ...STANDIN_CLAID, CLAID_API_BASE_URL: standin.url, MAX_DOWNLOAD_BYTES: "100" }),
      );
      const output = captureOutput();
      const result = await claidEngine.createScene(request, small).finally(() => output.restore());
      expect(downloadsSeen()).toBe(2);
      expect(result.outputs.every((o) => o.key === undefined && o.upstreamUrl)).toBe(true);
      expect(output.text()).toContain('"reason":"too_large"');

      const error = await downloadOutput(result.outputs[0]!.upstreamUrl!, small).catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 502, details: { limit_bytes: 100 } });

      // The credits are spent; once the limit allows it, the kept URL still yields the image.
      const roomy = engineContext(testConfig({ ...STANDIN_CLAID, CLAID_API_BASE_URL: standin.url }));
      const stored = await downloadOutput(result.outputs[0]!.upstreamUrl!, roomy);
      expect(stored.key).toMatch(/^[a-f0-9]{64}\.png$/);
      expect(stored.size).toBeGreaterThan(100);
      expect((await roomy.storage.get(stored.key))?.byteLength).toBe(stored.size);
    },
  );

  it("turns a result that is gone into a 502 for the retry path", async () => {
    const ctx = engineContext(testConfig({ ...STANDIN_CLAID, CLAID_API_BASE_URL: standin.url }));
    const error = await downloadOutput(`${standin.url}/files/missing.png`, ctx).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, details: { upstream_status: 404 } });
  });

  it("gives up on a result that does not arrive within DOWNLOAD_TIMEOUT_MS", async () => {
    // A host that accepts the connection and never answers.
    const silent = http.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const origin = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const ctx = engineContext(
        testConfig({ ...STANDIN_CLAID, CLAID_API_BASE_URL: origin, DOWNLOAD_TIMEOUT_MS: "100" }),
      );
      const error = await downloadOutput(`${origin}/files/x.png`, ctx).catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 504, details: { reason: "timeout" } });
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
