import ipaddr from 'ipaddr.js';
import { AddressRefusedError } from './address-refused-error.js';

/** Which addresses the crawler may connect to beyond public ones: all (CRAWL_ALLOW_PRIVATE=1), or these ranges. */
export type PrivateAddresses = 'all' | readonly string[];

/** How ipaddr.js names the ranges that are not public, for the refusal message. */
const RANGE_NAMES: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private address',
  uniqueLocal: 'a private address',
  linkLocal: 'a link-local address',
  carrierGradeNat: 'a shared (carrier-grade NAT) address',
  unspecified: 'the unspecified address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
};

/**
 * Whether the crawler may connect to `address`: any public unicast address; anything else
 * (private, loopback, link-local, carrier-grade NAT, IPv4 embedded in IPv6, reserved) only when
 * CRAWL_ALLOW_PRIVATE allows it. ipaddr.js classifies: the IANA special-purpose registries are
 * long and easy to get subtly wrong by hand.
 */
export function isAllowedAddress(address: string, allowed: PrivateAddresses): boolean {
  if (allowed === 'all') return true;
  const parsed = parseAddress(address);
  if (!parsed) return false;
  if (parsed.range() === 'unicast') return true;
  return allowed.some((range) => {
    const [network, bits] = parseRange(range);
    return network.kind() === parsed.kind() && parsed.match(network, bits);
  });
}

/** A range of CRAWL_ALLOW_PRIVATE: a CIDR, or one address (all its bits). */
function parseRange(range: string): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  if (range.includes('/')) return ipaddr.parseCIDR(range);
  const address = ipaddr.process(range);
  return [address, address.kind() === 'ipv4' ? 32 : 128];
}

/** Throws AddressRefusedError unless the crawler may connect to `address` (reached for `url`). */
export function checkAddress(address: string, allowed: PrivateAddresses, url: string): void {
  if (isAllowedAddress(address, allowed)) return;
  const range = parseAddress(address)?.range();
  const what = (range && RANGE_NAMES[range]) ?? 'not a public address';
  throw new AddressRefusedError(
    `Refused ${url}: ${address} is ${what}. The crawler reaches only public addresses unless ` +
      `CRAWL_ALLOW_PRIVATE allows others (1 for all, or ranges such as 10.1.0.0/16).`,
    address,
  );
}

/** An address as ipaddr.js reads it, IPv4-mapped IPv6 (::ffff:127.0.0.1) taken as the IPv4 address it is. */
function parseAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  return ipaddr.isValid(bare) ? ipaddr.process(bare) : null;
}
