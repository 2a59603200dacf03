import "server-only";

import net from "node:net";
import ipaddr from "ipaddr.js";

/**
 * Which IP addresses the server may open a connection to when the address came from a user or from an
 * upstream answer. Only public unicast addresses pass; loopback (127.0.0.0/8 and ::1) passes too when
 * `allowLoopback` is set, and nothing else ever does.
 *
 * IPv6 has several forms that carry an IPv4 address inside (mapped, translated, IPv4-compatible, NAT64,
 * 6to4, Teredo). Each of those is judged by the IPv4 address it carries, so `::ffff:10.0.0.1` or
 * `64:ff9b::a9fe:a9fe` cannot reach what `10.0.0.1` or `169.254.169.254` may not.
 */

export type AddressRules = {
  /** 127.0.0.0/8, ::1 and their IPv4-mapped form: for stand-in servers in tests. */
  allowLoopback: boolean;
};

export type AddressVerdict =
  | { allowed: true }
  | {
      allowed: false;
      /** Plain words, for logs and error details. */
      reason: string;
    };

const ALLOWED: AddressVerdict = { allowed: true };

const IPV4_RANGE_WORDS: Record<string, string> = {
  unspecified: "a 'this network' address (0.0.0.0/8)",
  broadcast: "the broadcast address",
  multicast: "a multicast address",
  linkLocal: "a link-local address (where cloud metadata services live)",
  loopback: "a loopback address",
  carrierGradeNat: "a shared carrier-grade NAT address",
  private: "a private network address",
  reserved: "a reserved address",
  as112: "an AS112 address",
  amt: "an AMT relay address",
  benchmarking: "a benchmarking address",
};

const IPV6_RANGE_WORDS: Record<string, string> = {
  unspecified: "the unspecified address (::)",
  linkLocal: "a link-local address",
  multicast: "a multicast address",
  loopback: "a loopback address",
  uniqueLocal: "a unique local (private) address",
  deprecatedSiteLocal: "a site-local address",
  discard: "a discard-only address",
  benchmarking: "a benchmarking address",
  reserved: "a reserved or documentation address",
};

function refused(reason: string): AddressVerdict {
  return { allowed: false, reason };
}

/** An IPv6 form that carries an IPv4 address; `local` when the kernel treats it as that address itself. */
type Carrier = { name: string; local: boolean };

function judgeIpv4(address: ipaddr.IPv4, rules: AddressRules, carrier?: Carrier): AddressVerdict {
  const range = address.range();
  if (range === "unicast") return ALLOWED;
  // Only a loopback address that stays on this machine: through a tunnel or translator it is not ours.
  if (range === "loopback" && rules.allowLoopback && (!carrier || carrier.local)) return ALLOWED;
  const words = IPV4_RANGE_WORDS[range] ?? `a special-purpose address (${range})`;
  return refused(carrier ? `${carrier.name} that carries ${address.toString()}, ${words}` : words);
}

const IPV4_MAPPED = ipaddr.parseCIDR("::ffff:0:0/96");
const IPV4_TRANSLATED = ipaddr.parseCIDR("::ffff:0:0:0/96");
const IPV4_COMPATIBLE = ipaddr.parseCIDR("::/96");
const NAT64_WELL_KNOWN = ipaddr.parseCIDR("64:ff9b::/96");
const NAT64_LOCAL_USE = ipaddr.parseCIDR("64:ff9b:1::/48");
const SIX_TO_FOUR = ipaddr.parseCIDR("2002::/16");
const TEREDO = ipaddr.parseCIDR("2001::/32");
const GLOBAL_UNICAST = ipaddr.parseCIDR("2000::/3");

/**
 * The IPv4 addresses an IPv6 address carries, with the form that carries them; undefined for any other
 * IPv6 address. A connection may end at any of them, so each must pass.
 */
function embeddedIpv4(address: ipaddr.IPv6): { carrier: Carrier; ipv4: ipaddr.IPv4[] } | undefined {
  const bytes = address.toByteArray();
  const at = (offsets: readonly number[]) => new ipaddr.IPv4(offsets.map((i) => bytes[i] ?? 0));
  const last32 = [at([12, 13, 14, 15])];
  const range = address.range();
  if (address.match(IPV4_MAPPED)) {
    return { carrier: { name: "an IPv4-mapped address", local: true }, ipv4: last32 };
  }
  if (address.match(IPV4_TRANSLATED)) {
    return { carrier: { name: "an IPv4-translated address", local: false }, ipv4: last32 };
  }
  // `::` and `::1` lie in ::/96 too, but they are IPv6's own unspecified and loopback addresses.
  if (address.match(IPV4_COMPATIBLE) && range !== "unspecified" && range !== "loopback") {
    return { carrier: { name: "an IPv4-compatible address", local: false }, ipv4: last32 };
  }
  if (address.match(NAT64_WELL_KNOWN)) {
    return { carrier: { name: "a NAT64 address", local: false }, ipv4: last32 };
  }
  if (address.match(SIX_TO_FOUR)) {
    return { carrier: { name: "a 6to4 address", local: false }, ipv4: [at([2, 3, 4, 5])] };
  }
  if (address.match(TEREDO)) {
    // The client's address is stored with every bit inverted; the Teredo server's in plain.
    const client = new ipaddr.IPv4([12, 13, 14, 15].map((i) => (bytes[i] ?? 0) ^ 0xff));
    return { carrier: { name: "a Teredo address", local: false }, ipv4: [client, at([4, 5, 6, 7])] };
  }
  return undefined;
}

function judgeIpv6(address: ipaddr.IPv6, rules: AddressRules): AddressVerdict {
  // Each network picks its own prefix length inside 64:ff9b:1::/48 (RFC 8215), so where the IPv4
  // address sits cannot be known from outside; the range only reaches that network's own translators.
  if (address.match(NAT64_LOCAL_USE)) {
    return refused(
      "a local-use NAT64 address (64:ff9b:1::/48), which only reaches a network's own translator",
    );
  }
  const embedded = embeddedIpv4(address);
  if (embedded) {
    for (const ipv4 of embedded.ipv4) {
      const verdict = judgeIpv4(ipv4, rules, embedded.carrier);
      if (!verdict.allowed) return verdict;
    }
    return ALLOWED;
  }
  const range = address.range();
  if (range === "loopback") return rules.allowLoopback ? ALLOWED : refused("a loopback address");
  if (range !== "unicast") return refused(IPV6_RANGE_WORDS[range] ?? `a special-purpose address (${range})`);
  if (!address.match(GLOBAL_UNICAST)) return refused("outside the IPv6 global unicast space (2000::/3)");
  return ALLOWED;
}

/**
 * `address` in canonical form, or undefined when it is not an IP address. IPv6 goes through the URL
 * parser, which writes it the one standard way (hex words, `::ffff:7f00:1` for `::ffff:127.0.0.1`):
 * ipaddr.js alone reads `::127.0.0.1` as IPv4-mapped, which is a different address.
 */
function canonical(address: string): string | undefined {
  const bare = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  // A zone (`fe80::1%eth0`) names an interface, not a different address.
  const unzoned = bare.includes(":") ? (bare.split("%")[0] ?? "") : bare;
  const family = net.isIP(unzoned);
  if (family === 4) return unzoned;
  if (family !== 6) return undefined;
  try {
    return new URL(`http://[${unzoned}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
}

/** Whether a connection to `address` (a literal IPv4 or IPv6 address) may be opened under `rules`. */
export function judgeAddress(address: string, rules: AddressRules): AddressVerdict {
  const text = canonical(address);
  if (text === undefined) return refused("not an IP address");
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(text);
  } catch {
    return refused("not an IP address");
  }
  return parsed.kind() === "ipv4"
    ? judgeIpv4(parsed as ipaddr.IPv4, rules)
    : judgeIpv6(parsed as ipaddr.IPv6, rules);
}
