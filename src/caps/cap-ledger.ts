import type { Connection } from 'mongoose';
import type { Channel } from '../shared/channels';
import { timedCap, type TimedCap } from './cap-count';
import { ChainReader } from './chain-reader';
import { ledgerStore, purgeExpiredDocuments, type LedgerStore } from './ledger-store';
import { isDuplicateKey, reserveScope } from './scope-reservation';
import { scopeKey } from './scope-key';

export { capLedgerIndexes, ensureCapLedgerIndexes } from './ledger-store';

/** A cap as the plan applies it; `source` says where it came from (the category's caps, a preset) for explanations. */
export interface CapRule {
  max: number;
  per: string;
  scope: 'category' | 'channel';
  source: string;
}

export interface CapSubject {
  clientId: string;
  channel: Channel;
  category: string;
  address: string;
}

export type CapReservation =
  { granted: true; entries: string[] } | { granted: false; freesAt: string; cap: CapRule; count: number };

/**
 * Per-recipient frequency caps, counted exactly under concurrency on a server without compare-and-set
 * (docs/frequency-caps.md). `messageId` must name the message across clients (the workflow id does), since
 * release() is given no client.
 */
export interface CapLedger {
  /** Takes a slot in every scope the caps name, or none; idempotent per message (a retry gets the same slots). */
  reserve(subject: CapSubject, caps: readonly CapRule[], messageId: string, now: Date): Promise<CapReservation>;
  /** Frees the message's slots on the channel: the send failed for good, or was cancelled or expired first. */
  release(messageId: string, channel: CapSubject['channel']): Promise<void>;
  /** Deletes what no reservation can read any more; for servers without TTL indexes (FerretDB). */
  purgeExpired(now: Date): Promise<number>;
}

/** A message rarely reserves more than once per channel (once more after each release). */
const maxHolds = 100;

const holdId = (channel: Channel, messageId: string, n: number) => `${channel}:${messageId}:${n}`;

/** The scopes the caps name, each with its caps, in one order for everyone (sorted by scope key). */
function scopesOf(subject: CapSubject, caps: readonly CapRule[]) {
  const byScope = new Map<string, TimedCap<CapRule>[]>();
  for (const cap of caps) {
    const key = scopeKey(subject, cap.scope);
    byScope.set(key, [...(byScope.get(key) ?? []), timedCap(cap)]);
  }
  return [...byScope.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

const releaseEntries = (store: LedgerStore, ids: readonly string[]) =>
  Promise.all([...new Set(ids)].map((_id) => store.entries.updateOne({ _id }, { $set: { released: true } })));

/**
 * All or nothing: the slots this call inserted go back. Until then each is a phantom that another message may
 * count (that one waits longer; nothing sends more). Slots found from an earlier call stay: that call may have
 * gone on to the provider before its worker died, and a send that may have happened keeps its slot.
 */
const releaseTaken = (store: LedgerStore, taken: readonly { entry: string; inserted: boolean }[]) =>
  releaseEntries(
    store,
    taken.filter((t) => t.inserted).map((t) => t.entry),
  );

async function heldEntries(store: LedgerStore, channel: Channel, messageId: string) {
  const holds = [];
  for (let n = 0; n < maxHolds; n++) {
    const hold = await store.holds.findOne({ _id: holdId(channel, messageId, n) });
    if (!hold) return { holds, next: n };
    holds.push(hold);
  }
  throw new Error(`frequency ledger: message ${messageId} holds more than ${maxHolds} reservations on ${channel}`);
}

/**
 * Writes down which entries the message holds, so release() finds them by `_id`. A retry that found every
 * entry already there writes nothing when an earlier hold lists them (a crash may have come before the hold).
 */
async function recordHold(
  store: LedgerStore,
  channel: Channel,
  messageId: string,
  taken: readonly { entry: string; inserted: boolean; expiresAt: Date }[],
): Promise<void> {
  const entries = taken.map((t) => t.entry);
  let n = 0;
  if (taken.every((t) => !t.inserted)) {
    const held = await heldEntries(store, channel, messageId);
    if (held.holds.some((hold) => entries.every((entry) => hold.entries.includes(entry)))) return;
    n = held.next;
  }
  const expiresAt = new Date(Math.max(...taken.map((t) => t.expiresAt.getTime())));
  for (; n < maxHolds; n++) {
    try {
      await store.holds.insertOne({ _id: holdId(channel, messageId, n), messageId, channel, entries, expiresAt });
      return;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  throw new Error(`frequency ledger: message ${messageId} holds more than ${maxHolds} reservations on ${channel}`);
}

export function createCapLedger(connection: Connection): CapLedger {
  const store = ledgerStore(connection);

  return {
    async reserve(subject, caps, messageId, now) {
      const scopes = scopesOf(subject, caps);
      const taken: { entry: string; inserted: boolean; expiresAt: Date }[] = [];
      try {
        for (const [scope, scopeCaps] of scopes) {
          const request = { caps: scopeCaps, messageId, channel: subject.channel, category: subject.category, now };
          const reader = new ChainReader(store, scope, Math.min(16, Math.max(...scopeCaps.map((c) => c.max)) + 1));
          const result = await reserveScope(store, reader, request);
          if (!result.granted) {
            await releaseTaken(store, taken);
            return { granted: false, freesAt: result.freesAt.toISOString(), cap: result.cap, count: result.count };
          }
          taken.push(result);
        }
        if (taken.length > 0) await recordHold(store, subject.channel, messageId, taken);
      } catch (err) {
        // Best effort: a retry would find these entries anyway (reserve is idempotent), but it may never come.
        await releaseTaken(store, taken).catch(() => undefined);
        throw err;
      }
      return { granted: true, entries: taken.map((t) => t.entry) };
    },

    async release(messageId, channel) {
      const { holds } = await heldEntries(store, channel, messageId);
      await releaseEntries(
        store,
        holds.flatMap((hold) => hold.entries),
      );
    },

    purgeExpired: (now) => purgeExpiredDocuments(store, now),
  };
}
