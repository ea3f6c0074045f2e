import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { badRequest } from './http-error';

/**
 * Opaque listing positions, signed. The scope a cursor was issued for (the listing, its client, its filters) is in
 * the MAC, so a forged cursor, another client's, or one reused with other filters is refused. The key is derived
 * from ADMIN_API_KEY, which every API replica has, so a page issued by one replica continues on any other; a
 * rotated admin key ends the cursors in flight (400: the client starts the listing again).
 */
export interface ListingCursors {
  issue(scope: string, after: string): string;
  /** The position `cursor` continues after; 400 in the error shape for anything this API did not issue for `scope`. */
  open(scope: string, cursor: string): string;
}

const refused = () =>
  badRequest('cursor is not valid for this listing', [
    { path: 'cursor', issue: 'was not issued for this listing, client and filters' },
  ]);

export function listingCursors(adminApiKey: string): ListingCursors {
  // A key of its own: the MAC reveals nothing usable about the admin key, and no other MAC of ours verifies here.
  const key = Buffer.from(hkdfSync('sha256', adminApiKey, 'communication-service', 'listing-cursor-v1', 32));
  const mac = (scope: string, body: string) => createHmac('sha256', key).update(`${scope}\n${body}`).digest();
  return {
    issue: (scope, after) => {
      const body = Buffer.from(after).toString('base64url');
      return `${body}.${mac(scope, body).toString('base64url')}`;
    },
    open: (scope, cursor) => {
      const [body, tag, ...rest] = cursor.split('.');
      if (!body || !tag || rest.length > 0) throw refused();
      const expected = mac(scope, body);
      const given = Buffer.from(tag, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refused();
      return Buffer.from(body, 'base64url').toString();
    },
  };
}

/** A listing's scope: its name and everything that selects its items, in a fixed order. */
export const listingScope = (...parts: (string | undefined)[]) => JSON.stringify(parts.map((p) => p ?? null));
