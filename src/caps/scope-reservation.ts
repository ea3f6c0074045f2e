import { setTimeout as sleep } from 'node:timers/promises';
import type { Channel } from '../shared/channels';
import { judgeCaps, type TimedCap } from './cap-count';
import { forwardBatch, type ChainReader, type ChainView } from './chain-reader';
import type { LedgerEntry, LedgerStore } from './ledger-store';
import { chainExpiry, chainKey, entryId, epochOf, epochStart } from './scope-key';

/** Inserts tried per scope before giving up (each loss means another reserver took a slot meanwhile). */
const maxAttempts = 64;

/** The head hint is rewritten once the chain's end has moved this far past it: then the end stays in view. */
const hintLag = forwardBatch;

export const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;

export interface ScopeRequest<Rule> {
  caps: readonly TimedCap<Rule>[];
  messageId: string;
  channel: Channel;
  category: string;
  now: Date;
}

export type ScopeResult<Rule> =
  | { granted: true; entry: string; inserted: boolean; expiresAt: Date }
  | { granted: false; cap: Rule; count: number; freesAt: Date };

/** Losers of a race back off a little, growing with each loss, so that contenders do not retry in step. */
const backOff = (attempt: number) => sleep(Math.random() * Math.min(50, 2 ** attempt));

const insert = async (store: LedgerStore, reader: ChainReader, entry: LedgerEntry) => {
  try {
    await store.entries.insertOne(entry);
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
  reader.remember(entry);
  return true;
};

/** An entry at `seq` of the chain of `epoch`, written for `request`'s message. */
const chainEntry = (
  reader: ChainReader,
  epoch: number,
  seq: number,
  kind: LedgerEntry['kind'],
  request: ScopeRequest<unknown>,
  at: Date,
): LedgerEntry => ({
  _id: entryId(reader.scope, epoch, seq),
  scope: reader.scope,
  epoch,
  seq,
  kind,
  messageId: request.messageId,
  channel: request.channel,
  category: request.category,
  at,
  released: false,
  expiresAt: chainExpiry(reader.scope, epoch),
});

/** Only a hint: a lost update (FerretDB's update reads, then writes) or a failed write costs reads, not counts. */
async function moveHint(store: LedgerStore, reader: ChainReader, view: ChainView, seq: number): Promise<void> {
  if (seq - view.hint < hintLag) return;
  await store.heads
    .updateOne(
      { _id: chainKey(reader.scope, view.epoch) },
      { $max: { seq }, $setOnInsert: { expiresAt: chainExpiry(reader.scope, view.epoch) } },
      { upsert: true },
    )
    .catch(() => undefined);
}

/**
 * Closes the chain of `epoch` with a seal at its end, unless one is there already, and returns what the chain
 * holds back to `cutoffMs`. Once sealed, no slot can join it: a late writer's insert at the seal's seq fails,
 * and any writer that reads the seal moves on to the next epoch. So the entries returned are all it will ever hold.
 */
async function sealChain<Rule>(
  store: LedgerStore,
  reader: ChainReader,
  epoch: number,
  cutoffMs: number,
  request: ScopeRequest<Rule>,
): Promise<{ sealSeq: number; entries: LedgerEntry[] }> {
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const view = await reader.view(epoch, cutoffMs);
    const top = view.entries[0];
    if (top?.kind === 'seal') return { sealSeq: view.top, entries: view.entries };
    const seq = view.top + 1;
    const seal = chainEntry(reader, epoch, seq, 'seal', request, top?.at ?? new Date(epochStart(reader.scope, epoch)));
    if (await insert(store, reader, seal)) return { sealSeq: seq, entries: [seal, ...view.entries] };
    await backOff(attempt);
  }
  throw new Error('frequency ledger: could not seal a chain (too many writers at once); try again');
}

/**
 * One scope's slot for a message (docs/frequency-caps.md, "Mechanism"). The slot goes at the chain's next seq,
 * decided on everything the chain held before it: an insert at a seq someone else took fails on the primary
 * key, and the loser reads again. Reservation times never go backwards along a chain (each is at least the one
 * before), so the walk back may stop at the first entry too old to count.
 */
export async function reserveScope<Rule>(
  store: LedgerStore,
  reader: ChainReader,
  request: ScopeRequest<Rule>,
): Promise<ScopeResult<Rule>> {
  const nowMs = request.now.getTime();
  const longestMs = Math.max(...request.caps.map((cap) => cap.perMs));
  // Walked back to here: the decision's own instant (below) is never earlier than now, so this reads enough.
  const cutoffMs = nowMs - longestMs;
  let epoch = epochOf(reader.scope, nowMs);
  for (let attempt = 0; attempt < maxAttempts;) {
    const view = await reader.view(epoch, cutoffMs);
    const top = view.entries[0];
    // A writer whose clock is ahead has started the next epoch's chain: continue there.
    if (top?.kind === 'seal') {
      epoch += 1;
      continue;
    }
    const startMs = epochStart(reader.scope, epoch);
    const atMs = Math.max(nowMs, startMs, top ? top.at.getTime() : -Infinity);
    let previous: LedgerEntry[] = [];
    let previousSeal: number | undefined;
    if (view.top === 0) {
      ({ entries: previous, sealSeq: previousSeal } = await sealChain(store, reader, epoch - 1, cutoffMs, request));
    } else if (view.reachedStart && cutoffMs < startMs) {
      const sealSeq = view.entries[view.entries.length - 1]!.previousSeal;
      if (sealSeq !== undefined) previous = (await reader.walkBack(epoch - 1, sealSeq, cutoffMs)).entries;
    }
    const slots = [...view.entries, ...previous].filter((entry) => entry.kind === 'slot');
    // A retry of this message (activity retried, worker died after the insert) gets its slot back, if it
    // still counts; one that counts for no cap any more is no slot to hold.
    const own = slots.find(
      (entry) => entry.messageId === request.messageId && !entry.released && entry.at.getTime() > atMs - longestMs,
    );
    if (own) return { granted: true, entry: own._id, inserted: false, expiresAt: own.expiresAt };
    const verdict = judgeCaps(slots, request.caps, atMs);
    if (!verdict.granted) return verdict;

    const seq = view.top + 1;
    const entry: LedgerEntry = {
      ...chainEntry(reader, epoch, seq, 'slot', request, new Date(atMs)),
      ...(seq === 1 ? { previousSeal } : {}),
    };
    if (await insert(store, reader, entry)) {
      await moveHint(store, reader, view, seq);
      return { granted: true, entry: entry._id, inserted: true, expiresAt: entry.expiresAt };
    }
    await backOff(attempt++);
  }
  throw new Error('frequency ledger: too many writers at once for one recipient; try again');
}
