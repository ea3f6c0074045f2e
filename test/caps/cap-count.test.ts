import assert from 'node:assert/strict';
import { judgeCaps, timedCap } from '../../src/caps/cap-count';
import {
  chainExpiry,
  epochMs,
  epochOf,
  epochStart,
  longestPeriodMs,
  normaliseAddress,
  scopeKey,
} from '../../src/caps/scope-key';

const t0 = Date.parse('2026-03-02T09:00:00Z');
const slot = (offsetMs: number, released = false) => ({ at: new Date(t0 + offsetMs), released });
const hour = 3_600_000;

describe('cap counting (pure)', () => {
  it('grants below max, and counts only unreleased slots inside the period', () => {
    const caps = [timedCap({ max: 2, per: 'PT1H' })];
    assert.deepEqual(judgeCaps([slot(0), slot(10, true)], caps, t0 + 20), { granted: true });
    assert.deepEqual(judgeCaps([slot(0), slot(-hour)], caps, t0 + 20), { granted: true });
  });

  it('when the cap was lowered below what is held, a slot frees when enough of the oldest have left', () => {
    const rule = { max: 2, per: 'PT1H' };
    const held = [slot(0), slot(60_000), slot(120_000), slot(180_000)];
    const verdict = judgeCaps(held, [timedCap(rule)], t0 + 240_000);
    // Four counted, two allowed: the third oldest (at +2 min) must leave too.
    assert.deepEqual(verdict, { granted: false, cap: rule, count: 4, freesAt: new Date(t0 + 120_000 + hour) });
  });

  it('of two full caps, names the one that frees last', () => {
    const hourly = { max: 1, per: 'PT1H' };
    const daily = { max: 2, per: 'P1D' };
    const verdict = judgeCaps([slot(-2 * hour), slot(0)], [timedCap(hourly), timedCap(daily)], t0 + 1);
    assert.deepEqual(verdict, { granted: false, cap: daily, count: 2, freesAt: new Date(t0 - 2 * hour + 24 * hour) });
  });

  it('refuses periods that are not positive or longer than a year, and max below 1', () => {
    assert.throws(() => timedCap({ max: 1, per: 'P367D' }), /P366D/);
    assert.throws(() => timedCap({ max: 1, per: 'PT0S' }), /P366D/);
    assert.throws(() => timedCap({ max: 1, per: 'tomorrow' }), /P366D/);
    assert.throws(() => timedCap({ max: 0, per: 'PT1H' }), /max/);
    assert.equal(timedCap({ max: 1, per: 'P366D' }).perMs, longestPeriodMs);
    assert.equal(timedCap({ max: 1, per: 'P1D' }).perMs, 24 * hour);
  });
});

describe('scope keys and epochs', () => {
  const subject = { clientId: 'acme', channel: 'sms' as const, category: 'marketing', address: '+15551230000' };

  it('spell one recipient one way', () => {
    assert.equal(normaliseAddress('sms', ' +1 (555) 123-0000 '), '+15551230000');
    assert.equal(normaliseAddress('email', ' Person@Example.COM '), 'person@example.com');
    assert.equal(normaliseAddress('push', ' tok:EN '), 'tok:EN');
  });

  it('differ by client, channel, address and category, and a channel scope ignores the category', () => {
    const keys = [
      scopeKey(subject, 'category'),
      scopeKey({ ...subject, clientId: 'other' }, 'category'),
      scopeKey({ ...subject, channel: 'push' }, 'category'),
      scopeKey({ ...subject, address: '+15551230001' }, 'category'),
      scopeKey({ ...subject, category: 'news' }, 'category'),
      scopeKey(subject, 'channel'),
    ];
    assert.equal(new Set(keys).size, keys.length);
    assert.equal(scopeKey({ ...subject, category: 'news' }, 'channel'), scopeKey(subject, 'channel'));
    assert.match(keys[0]!, /^[0-9a-f]{64}$/);
  });

  it('cut time into epochs of a year and a day at a phase of the scope’s own, kept two epochs and a day', () => {
    const scope = scopeKey(subject, 'category');
    const epoch = epochOf(scope, t0);
    const start = epochStart(scope, epoch);
    assert.ok(start <= t0 && t0 < start + epochMs);
    assert.equal(epochOf(scope, start), epoch);
    assert.equal(epochOf(scope, start - 1), epoch - 1);
    assert.equal(chainExpiry(scope, epoch).getTime(), start + 2 * epochMs + 24 * hour);
    const other = scopeKey({ ...subject, address: '+15551230001' }, 'category');
    assert.notEqual(epochStart(other, epochOf(other, t0)), start, 'another scope changes epoch at another instant');
  });
});
