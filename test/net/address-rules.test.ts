// Which addresses the server may connect to, judged by the pure function the agents use. Nothing here
// connects anywhere: the addresses in these tables are only ever parsed.
import { describe, expect, it } from "vitest";

import { judgeAddress } from "@/lib/server/net/address-rules";

const strict = { allowLoopback: false };
const loopbackAllowed = { allowLoopback: true };

/** IPv4 addresses the rules refuse, and what they are. */
const REFUSED_IPV4: [string, RegExp][] = [
  ["127.0.0.1", /loopback/],
  ["127.255.0.9", /loopback/],
  ["10.0.0.1", /private/],
  ["172.16.0.1", /private/],
  ["192.168.1.1", /private/],
  ["169.254.169.254", /link-local/],
  ["100.64.0.1", /carrier-grade NAT/],
  ["0.0.0.0", /this network/],
  ["224.0.0.1", /multicast/],
  ["255.255.255.255", /broadcast/],
  ["192.0.2.1", /reserved/],
  ["198.18.0.1", /reserved/],
  ["240.0.0.1", /reserved/],
];

function hex(ipv4: string, invert = false): [string, string] {
  const bytes = ipv4.split(".").map((b) => Number(b) ^ (invert ? 0xff : 0));
  const word = (i: number) => (((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16);
  return [word(0), word(2)];
}

/** Every IPv6 form that carries `ipv4`, written as a connection would see it. */
function carriers(ipv4: string): [string, string][] {
  const [hi, lo] = hex(ipv4);
  const [ohi, olo] = hex(ipv4, true);
  // A public client (8.8.4.4, obfuscated) beside the server under test.
  const [chi, clo] = hex("8.8.4.4", true);
  const forms: [string, string][] = [
    ["IPv4-mapped, dotted", `::ffff:${ipv4}`],
    ["IPv4-mapped, hex", `::ffff:${hi}:${lo}`],
    ["IPv4-mapped, long form", `0:0:0:0:0:ffff:${hi}:${lo}`],
    ["IPv4-translated", `::ffff:0:${ipv4}`],
    ["IPv4-compatible, dotted", `::${ipv4}`],
    ["IPv4-compatible, hex", `::${hi}:${lo}`],
    ["NAT64 well-known prefix", `64:ff9b::${ipv4}`],
    ["NAT64 well-known prefix, hex", `64:ff9b::${hi}:${lo}`],
    ["6to4", `2002:${hi}:${lo}::1`],
    ["6to4, subnet and host", `2002:${hi}:${lo}:42:1:2:3:4`],
    // Teredo: public server 65.54.227.120, the client obfuscated (every bit inverted).
    ["Teredo, client", `2001:0:4136:e378:8000:63bf:${ohi}:${olo}`],
    ["Teredo, server", `2001:0:${hi}:${lo}:8000:63bf:${chi}:${clo}`],
  ];
  // `::` is IPv6's own unspecified address, judged as such (below), not as 0.0.0.0.
  return ipv4 === "0.0.0.0" ? forms.filter(([form]) => !form.startsWith("IPv4-compatible")) : forms;
}

describe("IPv4", () => {
  it.each(REFUSED_IPV4)("refuses %s", (address, reason) => {
    const verdict = judgeAddress(address, strict);
    expect(verdict.allowed).toBe(false);
    expect(!verdict.allowed && verdict.reason).toMatch(reason);
  });

  it("allows public addresses", () => {
    for (const address of ["8.8.8.8", "93.184.216.34", "1.1.1.1", "172.32.0.1", "100.128.0.1"]) {
      expect(judgeAddress(address, strict), address).toEqual({ allowed: true });
    }
  });
});

describe("IPv6 forms that carry an IPv4 address are judged by it", () => {
  for (const [ipv4, reason] of REFUSED_IPV4) {
    it.each(carriers(ipv4))(`refuses %s of ${ipv4}: %s`, (form, address) => {
      // Allowing loopback lets the IPv4-mapped form of loopback through (it is 127.x to the kernel);
      // loopback through a tunnel or translator is never this machine's.
      const mappedLoopback = form.startsWith("IPv4-mapped") && reason.test("loopback");
      for (const rules of mappedLoopback ? [strict] : [strict, loopbackAllowed]) {
        const verdict = judgeAddress(address, rules);
        expect(verdict.allowed, `${address} ${JSON.stringify(rules)}`).toBe(false);
        expect(!verdict.allowed && verdict.reason).toMatch(reason);
        expect(!verdict.allowed && verdict.reason).toContain(`carries ${ipv4}`);
      }
    });
  }

  it.each(carriers("8.8.8.8"))("allows %s of a public address: %s", (_form, address) => {
    expect(judgeAddress(address, strict)).toEqual({ allowed: true });
  });

  it("refuses the local-use NAT64 prefix whatever it carries: its layout is each network's own", () => {
    // RFC 6052 layouts of 8.8.8.8 and 10.0.0.1 under /48 (u octet skipped), /56, /64 and /96 prefixes.
    for (const address of [
      "64:ff9b:1:808:8:800::",
      "64:ff9b:1:8:8:808::",
      "64:ff9b:1:0:8:808:800:0",
      "64:ff9b:1::808:808",
      "64:ff9b:1:a00:1:100::",
      "64:ff9b:1::a00:1",
    ]) {
      expect(judgeAddress(address, strict), address).toMatchObject({
        allowed: false,
        reason: expect.stringContaining("local-use NAT64"),
      });
    }
  });

  it("refuses a Teredo address whose server is private even when the client is public", () => {
    const [ohi, olo] = hex("8.8.8.8", true);
    expect(judgeAddress(`2001:0:a00:1:8000:63bf:${ohi}:${olo}`, strict)).toMatchObject({ allowed: false });
  });

  it("the issue's example: [::127.0.0.1]", () => {
    expect(judgeAddress("[::127.0.0.1]", strict)).toMatchObject({
      allowed: false,
      reason: expect.stringContaining("IPv4-compatible"),
    });
    expect(judgeAddress("::127.0.0.1", loopbackAllowed)).toMatchObject({ allowed: false });
  });
});

describe("IPv6", () => {
  it.each([
    ["::1", /loopback/],
    ["::", /unspecified/],
    ["fe80::1", /link-local/],
    ["fe80::1%eth0", /link-local/],
    ["fc00::1", /unique local/],
    ["fd12:3456::1", /unique local/],
    ["fec0::1", /site-local/],
    ["ff02::1", /multicast/],
    ["100::1", /discard/],
    ["2001:db8::1", /reserved or documentation/],
    ["2001:2::1", /benchmarking/],
    ["::1:0:0:1", /global unicast/],
    ["4000::1", /global unicast/],
  ])("refuses %s", (address, reason) => {
    const verdict = judgeAddress(address, strict);
    expect(verdict.allowed).toBe(false);
    expect(!verdict.allowed && verdict.reason).toMatch(reason);
  });

  it("allows global unicast addresses", () => {
    for (const address of ["2606:4700:4700::1111", "2a00:1450:4001:80e::200e", "[2001:4860:4860::8888]"]) {
      expect(judgeAddress(address, strict), address).toEqual({ allowed: true });
    }
  });

  it("refuses what is not an address", () => {
    for (const address of ["localhost", "", "1.2.3", "::g", "example.com"]) {
      expect(judgeAddress(address, strict), address).toMatchObject({ allowed: false });
    }
  });
});

describe("allowing loopback allows exactly loopback", () => {
  it("lets 127.0.0.0/8, ::1 and IPv4-mapped loopback through", () => {
    for (const address of ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"]) {
      expect(judgeAddress(address, loopbackAllowed), address).toEqual({ allowed: true });
      expect(judgeAddress(address, strict), address).toMatchObject({ allowed: false });
    }
  });

  it("keeps every other private, link-local and reserved range refused", () => {
    for (const [address] of REFUSED_IPV4.filter(([, reason]) => !reason.test("loopback"))) {
      expect(judgeAddress(address, loopbackAllowed), address).toMatchObject({ allowed: false });
    }
    for (const address of ["fc00::1", "fe80::1", "::", "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe"]) {
      expect(judgeAddress(address, loopbackAllowed), address).toMatchObject({ allowed: false });
    }
  });
});
