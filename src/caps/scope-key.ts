import { createHash } from 'node:crypto';
import type { Channel } from '../shared/channels';

const dayMs = 86_400_000;

/** The longest period a cap may have (the profile schema's P366D): nothing older can count against any cap. */
export const longestPeriodMs = 366 * dayMs;

/**
 * A chain covers one epoch of this length, so any cap's period reaches back at most into the previous epoch's
 * chain, and chains two epochs old are of no use to anyone (docs/frequency-caps.md, "Purge").
 */
export const epochMs = longestPeriodMs;

/** Kept a day past the last instant anyone needs a chain: clocks of the purger and the reservers may disagree. */
const purgeMarginMs = dayMs;

export interface ScopeSubject {
  clientId: string;
  channel: Channel;
  category: string;
  address: string;
}

/**
 * One spelling per recipient, so that the same person is counted once however the address was typed: a phone
 * number keeps its digits (and a leading +), an email address is compared without case (two spellings that
 * differ only by case then share a cap: fewer sends, never more), a device token is taken as given.
 */
export function normaliseAddress(channel: Channel, address: string): string {
  const trimmed = address.trim();
  if (channel === 'sms') return `${trimmed.startsWith('+') ? '+' : ''}${trimmed.replace(/\D/g, '')}`;
  if (channel === 'email') return trimmed.toLowerCase();
  return trimmed;
}

/**
 * The scope's name in the ledger: a SHA-256, so no address is stored in clear. JSON keeps the parts apart
 * whatever characters an address holds; `*` (never a category name) stands for every category of the channel.
 */
export function scopeKey(subject: ScopeSubject, scope: 'category' | 'channel'): string {
  const parts = [
    subject.clientId,
    subject.channel,
    normaliseAddress(subject.channel, subject.address),
    scope === 'category' ? subject.category : '*',
  ];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/**
 * Each scope's epochs start at an offset of its own (taken from its key), so that the once-a-year switch to a
 * new chain is spread over the year instead of every recipient's happening at the same instant.
 */
const phaseOf = (scope: string) => Number.parseInt(scope.slice(0, 12), 16) % epochMs;

export const epochOf = (scope: string, atMs: number) => Math.floor((atMs - phaseOf(scope)) / epochMs);
export const epochStart = (scope: string, epoch: number) => epoch * epochMs + phaseOf(scope);

/** Nobody reads or writes a chain once the epoch after next has begun (plus the margin): then it may go. */
export const chainExpiry = (scope: string, epoch: number) =>
  new Date(epochStart(scope, epoch) + 2 * epochMs + purgeMarginMs);

export const chainKey = (scope: string, epoch: number) => `${scope}:${epoch}`;

/** Zero-padded so that ids sort like their numbers (handy when reading the collection by hand). */
export const entryId = (scope: string, epoch: number, seq: number) =>
  `${chainKey(scope, epoch)}:${String(seq).padStart(10, '0')}`;
