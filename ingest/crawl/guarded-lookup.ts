import { lookup, type LookupAddress, type LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { checkAddress, type PrivateAddresses } from './address-policy.js';

/**
 * A DNS lookup for the crawler's sockets that fails when any address a name resolves to is not
 * allowed (address-policy.ts). It runs inside the connection itself, so the address checked is
 * the address connected to: a name cannot resolve to a public address for a check and to a
 * private one for the request (DNS rebinding).
 */
export function guardedLookup(allowed: PrivateAddresses): LookupFunction {
  return (hostname, options, callback) => {
    const wantsAll = (options as LookupOptions).all === true;
    lookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      try {
        for (const { address } of addresses) checkAddress(address, allowed, hostname);
      } catch (refused) {
        return callback(refused as NodeJS.ErrnoException, '', 0);
      }
      if (wantsAll) (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
