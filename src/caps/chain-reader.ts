import type { LedgerEntry, LedgerStore } from './ledger-store';
import { chainKey, entryId } from './scope-key';

/**
 * Seqs read at once past the head hint. The hint is rewritten once it lags this far (scope-reservation.ts), so
 * the chain's end is almost always within the first batch. A point read costs FerretDB on SQLite about 1 ms, and
 * parallel ones about 0.4 ms more each (measured): each read saved shows.
 */
export const forwardBatch = 4;

/** What one reader saw of one chain: its last seq and the entries from there back to the cutoff. */
export interface ChainView {
  epoch: number;
  /** The chain's last seq when read (0: empty). */
  top: number;
  /** Seq descending, from the top down to the first entry at or before the cutoff, or down to seq 1. */
  entries: LedgerEntry[];
  /** The walk reached seq 1 with every entry after the cutoff: the previous epoch's chain may count too. */
  reachedStart: boolean;
  /** The head hint this read started from: how far behind the chain's end the hint was. */
  hint: number;
}

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

/**
 * Reads one scope's chains by `_id` only: FerretDB on SQLite serves `{_id: v}` from its index and scans the
 * whole collection for any other filter (`$in` and ranges included). Entries are written once, so an entry
 * read stays valid except for its `released` flag, which may go from false to true; counting a stale `false`
 * counts a slot that is free already (a message waits longer, never sends more). Entries read are kept for the
 * reader's lifetime (one reserve() call), so a retry after losing a race reads only what is new.
 */
export class ChainReader {
  private readonly known = new Map<string, LedgerEntry>();

  /**
   * @param backBatch seqs read at once walking back: one more than the largest cap's `max` reads, in one go, the
   *   entries that decide a recipient at its cap (plus the first too old to count).
   */
  constructor(
    private readonly store: LedgerStore,
    readonly scope: string,
    private readonly backBatch = 8,
  ) {}

  remember(entry: LedgerEntry): void {
    this.known.set(entry._id, entry);
  }

  private async fetch(epoch: number, seqs: readonly number[]): Promise<void> {
    const wanted = seqs.map((seq) => entryId(this.scope, epoch, seq)).filter((id) => !this.known.has(id));
    const found = await Promise.all(wanted.map((_id) => this.store.entries.findOne({ _id })));
    for (const entry of found) if (entry) this.remember(entry);
  }

  private entry(epoch: number, seq: number): LedgerEntry | undefined {
    return this.known.get(entryId(this.scope, epoch, seq));
  }

  /**
   * The chain's end, then the entries back to `cutoffMs`. The hint names a seq that exists and seqs are dense
   * (each insert takes the seq after one its writer read), so every seq up to the hint exists and the first
   * missing one after it is the end.
   */
  async view(epoch: number, cutoffMs: number): Promise<ChainView> {
    const head = await this.store.heads.findOne({ _id: chainKey(this.scope, epoch) });
    const hint = head?.seq ?? 0;
    let fetchedTo = hint + forwardBatch;
    await this.fetch(epoch, range(Math.max(1, hint - this.backBatch + 1), fetchedTo));
    let probe = hint + 1;
    for (;;) {
      while (this.entry(epoch, probe)) probe++;
      // Absent from a read made just now: the end. (Absence is never remembered; presence is, since entries stay.)
      if (probe <= fetchedTo) break;
      fetchedTo = probe + forwardBatch - 1;
      await this.fetch(epoch, range(probe, fetchedTo));
    }
    const top = probe - 1;
    return { epoch, top, hint, ...(await this.walkBack(epoch, top, cutoffMs)) };
  }

  /** The entries from `fromSeq` down to the first at or before `cutoffMs` (inclusive), or down to seq 1. */
  async walkBack(
    epoch: number,
    fromSeq: number,
    cutoffMs: number,
  ): Promise<{ entries: LedgerEntry[]; reachedStart: boolean }> {
    const entries: LedgerEntry[] = [];
    for (let seq = fromSeq; seq >= 1; seq--) {
      if (!this.entry(epoch, seq)) await this.fetch(epoch, range(Math.max(1, seq - this.backBatch + 1), seq));
      const entry = this.entry(epoch, seq);
      // Nothing deletes inside a chain that anyone still reads; a gap means the chain is being purged under a
      // clock more than a year behind the purger's. Counting past it would be guessing.
      if (!entry) throw new Error(`frequency ledger: chain ${chainKey(this.scope, epoch)} has no seq ${seq}`);
      entries.push(entry);
      if (entry.at.getTime() <= cutoffMs) return { entries, reachedStart: false };
    }
    return { entries, reachedStart: true };
  }
}
