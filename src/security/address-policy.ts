/**
 * Which network addresses a URL we fetch on a client's behalf may reach (SSRF guard, pure).
 *
 * Refused: every address that is not plainly on the public internet — loopback, "this network",
 * private (RFC 1918), carrier-grade NAT (100.64/10, where Alibaba's metadata service lives),
 * link-local (169.254/16 with the AWS/GCP/Azure metadata address 169.254.169.254, fe80::/10),
 * unique-local (fc00::/7, AWS's fd00:ec2::254), multicast, reserved and documentation ranges, and
 * IPv6 forms that embed an IPv4 address (mapped ::ffff:0:0/96, NAT64 64:ff9b::/96, 6to4
 * 2002::/16) when the embedded address is refused. Teredo (2001::/32) is refused outright: its
 * embedded address is obfuscated and no file server needs it.
 */
import { BlockList, isIP } from 'node:net';

const V4_RANGES: readonly [string, number, string][] = [
  ['0.0.0.0', 8, 'this network'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local / cloud metadata'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4 relay'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved / broadcast'],
];

const V6_RANGES: readonly [string, number, string][] = [
  ['::', 96, 'unspecified / loopback / IPv4-compatible'],
  ['64:ff9b:1::', 48, 'local NAT64'],
  ['100::', 64, 'discard'],
  ['2001::', 32, 'Teredo'],
  ['2001:db8::', 32, 'documentation'],
  ['2001:10::', 28, 'ORCHID'],
  ['2001:20::', 28, 'ORCHIDv2'],
  ['fc00::', 7, 'unique-local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];

/** One BlockList per range, so a hit can be named. */
function compile(ranges: readonly [string, number, string][], family: 'ipv4' | 'ipv6'): { list: BlockList; label: string }[] {
  return ranges.map(([network, prefix, label]) => {
    const list = new BlockList();
    list.addSubnet(network, prefix, family);
    return { list, label };
  });
}

const V4 = compile(V4_RANGES, 'ipv4');
const V6 = compile(V6_RANGES, 'ipv6');

/** The eight 16-bit groups of an IPv6 address (dotted-quad tail and zone id allowed). */
export function ipv6Groups(address: string): number[] | undefined {
  let text = address.split('%')[0] ?? '';
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const bytes = dotted[1].split('.').map(Number);
    if (bytes.some((b) => b > 255)) return undefined;
    const [a = 0, b = 0, c = 0, d = 0] = bytes;
    text = text.slice(0, -dotted[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string | undefined): number[] => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const head = parse(halves[0]);
  const tail = parse(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return undefined;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

function v4From(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** The IPv4 address an IPv6 address carries in a form we translate (mapped, NAT64, 6to4). */
export function embeddedIpv4(address: string): string | undefined {
  const g = ipv6Groups(address);
  if (!g) return undefined;
  const [g0, g1, g2, g3, g4, g5, g6 = 0, g7 = 0] = g;
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff) return v4From(g6, g7);
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return v4From(g6, g7);
  if (g0 === 0x2002) return v4From(g1 ?? 0, g2 ?? 0);
  return undefined;
}

/**
 * Why `address` (an IP literal) may not be fetched from, or undefined when it may.
 * Anything that is not an IP address is refused too.
 */
export function forbiddenAddressReason(address: string): string | undefined {
  const plain = address.split('%')[0] ?? '';
  const family = isIP(plain);
  if (family === 4) {
    const hit = V4.find((r) => r.list.check(plain, 'ipv4'));
    return hit ? `${address} is a ${hit.label} address` : undefined;
  }
  if (family === 6) {
    const embedded = embeddedIpv4(plain);
    if (embedded !== undefined) {
      const inner = forbiddenAddressReason(embedded);
      return inner === undefined ? undefined : `${address} embeds ${inner}`;
    }
    const hit = V6.find((r) => r.list.check(plain, 'ipv6'));
    return hit ? `${address} is a ${hit.label} address` : undefined;
  }
  return `${address} is not an IP address`;
}

/** Host names refused before any lookup (they name the machine itself or a cloud metadata service). */
export function forbiddenHostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost') || name === 'metadata.google.internal' || name === 'metadata';
}
