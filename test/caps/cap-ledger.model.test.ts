import assert from 'node:assert/strict';
import fc from 'fast-check';
import type mongoose from 'mongoose';
import { createCapLedger, type CapLedger, type CapRule, type CapReservation } from '../../src/caps/cap-ledger';
import { epochOf, epochStart, scopeKey } from '../../src/caps/scope-key';
import { connectWhenUp, days, freshLedgerCollections, hours, subjectFor } from './ledger-fixture';

/**
 * The model: a list of granted reservation times, and nothing else. It answers "granted?" by counting, per
 * cap, the unreleased times within the period, and "when does a slot free?" by trying every instant at which
 * some counted time leaves some period, earliest first: a search, where the ledger computes the answer.
 */
class GrantedTimes {
  private readonly granted: { messageId: string; at: number; released: boolean }[] = [];

  constructor(private readonly caps: { max: number; perMs: number; rule: CapRule }[]) {}

  private fullCaps(at: number) {
    return this.caps.filter(
      (cap) => this.granted.filter((g) => !g.released && g.at > at - cap.perMs).length >= cap.max,
    );
  }

  reserve(
    messageId: string,
    now: number,
  ): { granted: true } | { granted: false; freesAt: number; count: number; cap: CapRule } {
    const longest = Math.max(...this.caps.map((cap) => cap.perMs));
    if (this.granted.some((g) => g.messageId === messageId && !g.released && g.at > now - longest))
      return { granted: true };
    if (this.fullCaps(now).length === 0) {
      this.granted.push({ messageId, at: now, released: false });
      return { granted: true };
    }
    const candidates = this.granted
      .filter((g) => !g.released)
      .flatMap((g) => this.caps.map((cap) => g.at + cap.perMs))
      .filter((t) => t > now)
      .sort((a, b) => a - b);
    const freesAt = candidates.find((t) => this.fullCaps(t).length === 0)!;
    const [decisive] = this.fullCaps(freesAt - 1);
    const count = this.granted.filter((g) => !g.released && g.at > now - decisive!.perMs).length;
    return { granted: false, freesAt, count, cap: decisive!.rule };
  }

  release(messageId: string) {
    for (const g of this.granted) if (g.messageId === messageId) g.released = true;
  }

  holders() {
    return [...new Set(this.granted.filter((g) => !g.released).map((g) => g.messageId))];
  }
}

type Step = { kind: 'reserve'; gapMs: number; message: number } | { kind: 'release'; gapMs: number; pick: number };

describe('the frequency-cap ledger against a model of granted times (sequential, random steps)', () => {
  let connection: mongoose.Connection;
  let ledger: CapLedger;

  before(async function () {
    this.timeout(240_000);
    connection = await connectWhenUp();
    await freshLedgerCollections(connection);
    ledger = createCapLedger(connection);
  });
  after(() => connection?.close());

  it('agrees on every grant, refusal, freesAt and count over a few hundred steps across an epoch change', async function () {
    this.timeout(300_000);
    const rules: CapRule[] = [
      { max: 2, per: 'PT1H', scope: 'category', source: 'model' },
      { max: 5, per: 'P1D', scope: 'category', source: 'model' },
    ];
    const timed = [
      { max: 2, perMs: hours(1), rule: rules[0]! },
      { max: 5, perMs: days(1), rule: rules[1]! },
    ];
    const step = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.record({
          kind: fc.constant('reserve' as const),
          gapMs: fc.integer({ min: 0, max: hours(3) }),
          message: fc.integer({ min: 0, max: 400 }),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('release' as const),
          gapMs: fc.integer({ min: 0, max: hours(1) }),
          pick: fc.nat(),
        }),
      },
    );
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 200, maxLength: 300 }), async (steps: Step[]) => {
        runs++;
        const subject = subjectFor();
        const scope = scopeKey(subject, 'category');
        // Start two days before this scope's next epoch: the run crosses it (a new chain, the old one sealed).
        const boundary = epochStart(scope, epochOf(scope, Date.parse('2026-05-01T00:00:00Z')) + 1);
        let now = boundary - days(2);
        const model = new GrantedTimes(timed);
        const seen = { granted: 0, refused: 0, released: 0 };
        for (const [i, s] of steps.entries()) {
          now += s.gapMs;
          if (s.kind === 'release') {
            const holders = model.holders();
            if (holders.length === 0) continue;
            const messageId = holders[s.pick % holders.length]!;
            model.release(messageId);
            seen.released++;
            await ledger.release(messageId, subject.channel);
            continue;
          }
          const messageId = `r${runs}-m${s.message}`;
          const expected = model.reserve(messageId, now);
          const actual: CapReservation = await ledger.reserve(subject, rules, messageId, new Date(now));
          const where = `step ${i} at ${new Date(now).toISOString()} for ${messageId}`;
          assert.equal(actual.granted, expected.granted, `${where}: ${JSON.stringify(actual)}`);
          seen[actual.granted ? 'granted' : 'refused']++;
          if (!actual.granted && !expected.granted) {
            assert.equal(actual.freesAt, new Date(expected.freesAt).toISOString(), where);
            assert.equal(actual.count, expected.count, where);
            assert.equal(actual.cap, expected.cap, where);
          }
        }
        // The run tested something: both answers, releases, and the switch to the next epoch's chain.
        assert.ok(seen.granted > 20 && seen.refused > 20 && seen.released > 10, JSON.stringify(seen));
        assert.ok(now > boundary + days(1), 'the run crossed the epoch change');
      }),
      { numRuns: 3, endOnFailure: true },
    );
  });
});
