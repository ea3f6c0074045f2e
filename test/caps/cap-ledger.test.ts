import assert from 'node:assert/strict';
import type mongoose from 'mongoose';
import { createCapLedger, type CapLedger, type CapRule, type CapReservation } from '../../src/caps/cap-ledger';
import { ledgerStore } from '../../src/caps/ledger-store';
import { entryId, epochOf, epochStart, scopeKey } from '../../src/caps/scope-key';
import {
  connectWhenUp,
  days,
  freshLedgerCollections,
  hours,
  readEntries,
  separateLedgers,
  subjectFor,
  uniqueId,
} from './ledger-fixture';

const cap = (max: number, per: string, scope: CapRule['scope'] = 'category'): CapRule => ({
  max,
  per,
  scope,
  source: `test ${max}/${per}`,
});

const granted = (results: CapReservation[]) => results.filter((r) => r.granted);
const refused = (results: CapReservation[]) =>
  results.filter((r): r is Extract<CapReservation, { granted: false }> => !r.granted);
const entriesOf = (result: CapReservation) => {
  assert.ok(result.granted, `expected a slot, got ${JSON.stringify(result)}`);
  return result.entries;
};

describe('the frequency-cap ledger on the real FerretDB', () => {
  let connection: mongoose.Connection;
  let ledger: CapLedger;
  const base = new Date('2026-03-02T09:00:00.000Z').getTime();

  before(async function () {
    this.timeout(240_000);
    connection = await connectWhenUp();
    await freshLedgerCollections(connection);
    ledger = createCapLedger(connection);
  });
  after(() => connection?.close());

  /** Concurrent reserve() calls for one recipient, one per connection, started together at instants `nows`. */
  async function contend(count: number, caps: CapRule[], nows: (i: number) => Date) {
    const { ledgers, close } = await separateLedgers(count);
    try {
      const subject = subjectFor();
      const results = await Promise.all(ledgers.map((l, i) => l.reserve(subject, caps, `m-${i}`, nows(i))));
      return { subject, results };
    } finally {
      await close();
    }
  }

  async function assertExactly(max: number, results: CapReservation[], perMs: number) {
    assert.equal(granted(results).length, max, JSON.stringify(results));
    const slots = await readEntries(connection, granted(results).flatMap(entriesOf));
    assert.equal(new Set(slots.map((s) => s._id)).size, max, 'one entry per slot');
    assert.ok(slots.every((s) => s.kind === 'slot' && !s.released));
    const firstAt = Math.min(...slots.map((s) => s.at.getTime()));
    for (const refusal of refused(results)) {
      assert.equal(refusal.count, max);
      assert.equal(refusal.freesAt, new Date(firstAt + perMs).toISOString());
    }
  }

  it('10 concurrent reservations from separate connections with a cap of 3 per PT24H grant exactly 3', async () => {
    const { results } = await contend(10, [cap(3, 'PT24H')], (i) => new Date(base + i));
    await assertExactly(3, results, hours(24));
  });

  it('50 concurrent reservations with a cap of 7 grant exactly 7', async function () {
    this.timeout(120_000);
    const { results } = await contend(50, [cap(7, 'PT24H')], () => new Date(base));
    await assertExactly(7, results, hours(24));
  });

  it('10 concurrent reservations straddling the scope’s new epoch grant exactly 3 (the old chain is sealed)', async () => {
    const subject = subjectFor();
    const scope = scopeKey(subject, 'category');
    const boundary = epochStart(scope, epochOf(scope, base) + 1);
    const { ledgers, close } = await separateLedgers(10);
    try {
      const nows = (i: number) => new Date(boundary + (i % 2 === 0 ? -1 - i : i));
      const results = await Promise.all(
        ledgers.map((l, i) => l.reserve(subject, [cap(3, 'PT24H')], `e-${i}`, nows(i))),
      );
      await assertExactly(3, results, hours(24));
    } finally {
      await close();
    }
  });

  it('a second reserve() for the same message returns its slot and takes no other', async () => {
    const subject = subjectFor();
    const caps = [cap(2, 'PT24H')];
    const first = await ledger.reserve(subject, caps, 'again', new Date(base));
    const retry = await ledger.reserve(subject, caps, 'again', new Date(base + 60_000));
    assert.deepEqual(entriesOf(retry), entriesOf(first));
    assert.ok((await ledger.reserve(subject, caps, 'other', new Date(base + 120_000))).granted);
    const third = await ledger.reserve(subject, caps, 'third', new Date(base + 180_000));
    assert.equal(third.granted, false);
  });

  it('release frees the slot for the next message', async () => {
    const subject = subjectFor();
    const caps = [cap(1, 'PT24H')];
    const held = await ledger.reserve(subject, caps, 'held', new Date(base));
    assert.equal((await ledger.reserve(subject, caps, 'waiting', new Date(base + 1_000))).granted, false);
    await ledger.release('held', 'sms');
    const [entry] = await readEntries(connection, entriesOf(held));
    assert.equal(entry!.released, true);
    assert.ok((await ledger.reserve(subject, caps, 'waiting', new Date(base + 2_000))).granted);
    // Released on another channel only: the SMS slot stays taken.
    await ledger.release('waiting', 'email');
    assert.equal((await ledger.reserve(subject, caps, 'third', new Date(base + 3_000))).granted, false);
  });

  it('a slot older than the period no longer counts, from the instant freesAt names', async () => {
    const subject = subjectFor();
    const caps = [cap(1, 'PT1H')];
    assert.ok((await ledger.reserve(subject, caps, 'first', new Date(base))).granted);
    const wait = await ledger.reserve(subject, caps, 'second', new Date(base + hours(0.5)));
    assert.deepEqual(wait, {
      granted: false,
      freesAt: new Date(base + hours(1)).toISOString(),
      cap: caps[0],
      count: 1,
    });
    assert.equal((await ledger.reserve(subject, caps, 'second', new Date(base + hours(1) - 1))).granted, false);
    assert.ok((await ledger.reserve(subject, caps, 'second', new Date(base + hours(1)))).granted);
  });

  it('two caps on one scope are both applied: 3 per PT24H and 4 per P30D', async () => {
    const subject = subjectFor();
    const caps = [cap(3, 'PT24H'), cap(4, 'P30D')];
    for (let i = 0; i < 3; i++) assert.ok((await ledger.reserve(subject, caps, `d0-${i}`, new Date(base + i))).granted);
    const day0 = await ledger.reserve(subject, caps, 'd0-3', new Date(base + hours(1)));
    assert.deepEqual(day0, {
      granted: false,
      freesAt: new Date(base + hours(24)).toISOString(),
      cap: caps[0],
      count: 3,
    });
    assert.ok((await ledger.reserve(subject, caps, 'd2-0', new Date(base + days(2)))).granted);
    const day2 = await ledger.reserve(subject, caps, 'd2-1', new Date(base + days(2) + 1));
    assert.deepEqual(day2, {
      granted: false,
      freesAt: new Date(base + days(30)).toISOString(),
      cap: caps[1],
      count: 4,
    });
    assert.ok((await ledger.reserve(subject, caps, 'd30', new Date(base + days(30)))).granted);
  });

  it('caps in two scopes: a full channel scope refuses and gives back the category slot just taken', async () => {
    // A category whose scope sorts before the channel's, so the category slot is taken first and must go back.
    const subject = subjectFor();
    const channelScope = scopeKey(subject, 'channel');
    let news = 'news';
    for (let i = 0; scopeKey({ ...subject, category: news }, 'category') > channelScope; i++) news = `news${i}`;
    const caps = [cap(2, 'PT24H', 'category'), cap(3, 'PT24H', 'channel')];
    for (let i = 0; i < 2; i++) assert.ok((await ledger.reserve(subject, caps, `mk-${i}`, new Date(base + i))).granted);
    const third = await ledger.reserve(subject, caps, 'mk-2', new Date(base + 10));
    assert.equal(third.granted, false);
    assert.equal(!third.granted && third.cap, caps[0]);

    const newsSubject = { ...subject, category: news };
    assert.ok((await ledger.reserve(newsSubject, caps, 'news-0', new Date(base + 20))).granted);
    const full = await ledger.reserve(newsSubject, caps, 'news-1', new Date(base + 30));
    assert.deepEqual(full, {
      granted: false,
      freesAt: new Date(base + hours(24)).toISOString(),
      cap: caps[1],
      count: 3,
    });
    const newsScope = scopeKey(newsSubject, 'category');
    const epoch = epochOf(newsScope, base);
    const [rolledBack] = await readEntries(connection, [entryId(newsScope, epoch, 2)]);
    assert.equal(rolledBack!.messageId, 'news-1');
    assert.equal(rolledBack!.released, true);

    // With room on the channel again, the news category holds one slot, not a phantom second.
    await ledger.release('mk-0', 'sms');
    assert.ok((await ledger.reserve(newsSubject, caps, 'news-2', new Date(base + 40))).granted);
  });

  it('another recipient, client or category is counted apart; another spelling of the number is not', async () => {
    const subject = subjectFor({ address: '+15551230000' });
    const caps = [cap(1, 'PT24H')];
    const at = new Date(base);
    assert.ok((await ledger.reserve(subject, caps, 'a', at)).granted);
    assert.ok((await ledger.reserve({ ...subject, address: '+15551230001' }, caps, 'b', at)).granted);
    assert.ok((await ledger.reserve({ ...subject, clientId: uniqueId('other') }, caps, 'c', at)).granted);
    assert.ok((await ledger.reserve({ ...subject, category: 'news' }, caps, 'd', at)).granted);
    assert.ok((await ledger.reserve({ ...subject, channel: 'email' }, caps, 'e', at)).granted);
    const respelled = await ledger.reserve({ ...subject, address: ' +1 (555) 123-0000 ' }, caps, 'f', at);
    assert.equal(respelled.granted, false);
  });

  it('stores no address in clear', async () => {
    const subject = subjectFor({ channel: 'email', address: 'Person.Name@Example.com' });
    const result = await ledger.reserve(subject, [cap(1, 'PT24H')], 'clear', new Date(base));
    const [entry] = await readEntries(connection, entriesOf(result));
    assert.doesNotMatch(JSON.stringify(entry), /person|example/i);
  });

  it('purgeExpired deletes chains nobody can read any more, and the recipient starts afresh', async () => {
    const subject = subjectFor();
    const caps = [cap(1, 'P366D')];
    const old = await ledger.reserve(subject, caps, 'old', new Date(base));
    // A year on, the slot still counts (other tests' seals of last epoch's chains may go meanwhile).
    await ledger.purgeExpired(new Date(base + days(366)));
    assert.ok(await ledgerStore(connection).entries.findOne({ _id: entriesOf(old)[0]! }));
    assert.equal((await ledger.reserve(subject, caps, 'year', new Date(base + days(366) - 1))).granted, false);
    const later = new Date(base + days(2 * 366 + 2));
    assert.ok((await ledger.purgeExpired(later)) >= 2, 'the entry and its hold at least');
    assert.equal(await ledgerStore(connection).entries.findOne({ _id: entriesOf(old)[0]! }), null);
    assert.ok((await ledger.reserve(subject, caps, 'new', later)).granted);
  });
});
