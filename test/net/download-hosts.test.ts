// The connect-time check on the claid engine's download hosts. Private ranges are judged by the rules
// the download agent holds (nothing connects to them); the one real connection goes to 127.0.0.1.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { downloadOutput } from "@/lib/server/engines/claid";
import { downloadAddressRules, downloadAgentFor } from "@/lib/server/engines/claid/download";
import { judgeAddress } from "@/lib/server/net/address-rules";
import { AddressCheckingHttpsAgent } from "@/lib/server/net/checked-agent";

import { engineContext } from "../engines/claid/support";
import { STANDIN_CLAID, testConfig } from "../support/config";

const PRIVATE = [
  "10.0.0.1",
  "172.16.5.4",
  "192.168.0.10",
  "169.254.169.254",
  "100.64.0.1",
  "0.0.0.0",
  "fc00::1",
  "fd00:ec2::254",
  "fe80::1",
  "::ffff:10.0.0.1",
  "::ffff:169.254.169.254",
  "::10.0.0.1",
  "64:ff9b::a9fe:a9fe",
  "2002:a00:1::1",
];
const LOOPBACK = ["127.0.0.1", "127.0.0.53", "::1"];

describe("download hosts: which resolved addresses the agent accepts", () => {
  const downloadUrl = new URL("https://dl.claid.ai/results/a.png");

  it("with ALLOW_LOOPBACK_FETCH: loopback, and no other private range", () => {
    const config = testConfig({
      ...STANDIN_CLAID,
      ALLOW_LOOPBACK_FETCH: "1",
      CLAID_DOWNLOAD_HOSTS: "dl.claid.ai",
    });
    const agent = downloadAgentFor(downloadUrl, config);
    expect(agent).toBeInstanceOf(AddressCheckingHttpsAgent);
    const rules = (agent as AddressCheckingHttpsAgent).rules;
    expect(rules).toEqual(downloadAddressRules(config));
    for (const address of PRIVATE)
      expect(judgeAddress(address, rules), address).toMatchObject({ allowed: false });
    for (const address of LOOPBACK) expect(judgeAddress(address, rules), address).toEqual({ allowed: true });
  });

  it("without it: loopback refused too, public addresses allowed", () => {
    const config = testConfig({
      ...STANDIN_CLAID,
      ALLOW_LOOPBACK_FETCH: "0",
      CLAID_DOWNLOAD_HOSTS: "dl.claid.ai",
    });
    const rules = (downloadAgentFor(downloadUrl, config) as AddressCheckingHttpsAgent).rules;
    for (const address of [...PRIVATE, ...LOOPBACK]) {
      expect(judgeAddress(address, rules), address).toMatchObject({ allowed: false });
    }
    for (const address of ["104.18.20.5", "2606:4700::6812:1405"]) {
      expect(judgeAddress(address, rules), address).toEqual({ allowed: true });
    }
  });

  it("trusts the configured API host as it is, with no address check", () => {
    const config = testConfig({ ...STANDIN_CLAID, CLAID_API_BASE_URL: "http://10.1.2.3:8080" });
    expect(downloadAgentFor(new URL("http://10.1.2.3:8080/files/a.png"), config)).toBeUndefined();
  });
});

describe("download hosts: the check on a real connection to 127.0.0.1", () => {
  let server: net.Server;
  let connections = 0;
  let port = 0;

  beforeAll(async () => {
    // Counts connections and hangs up: whether the socket was opened is all this measures.
    server = net.createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  function config(allowLoopback: boolean) {
    return testConfig({
      ...STANDIN_CLAID,
      // Another port, so the result's host is a download host and not the API's.
      CLAID_API_BASE_URL: `http://127.0.0.1:${port === 1 ? 2 : 1}`,
      CLAID_DOWNLOAD_HOSTS: "127.0.0.1",
      ALLOW_LOOPBACK_FETCH: allowLoopback ? "1" : "0",
    });
  }

  it("refuses before connecting when loopback is not allowed", async () => {
    const before = connections;
    const error = await downloadOutput(`https://127.0.0.1:${port}/a.png`, engineContext(config(false))).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      status: 502,
      message: expect.stringContaining("its address is not allowed"),
    });
    expect(connections).toBe(before);
  });

  it("connects when loopback is allowed", async () => {
    const before = connections;
    const error = await downloadOutput(`https://127.0.0.1:${port}/a.png`, engineContext(config(true))).catch(
      (e: unknown) => e,
    );
    // The server hangs up during the TLS handshake: a failed download, not a refused address.
    expect(error).toMatchObject({ status: 502 });
    expect((error as Error).message).not.toContain("not allowed");
    expect(connections).toBe(before + 1);
  });
});
