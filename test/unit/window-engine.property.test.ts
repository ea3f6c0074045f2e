import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import type { EngineWindow } from '../../src/windows/window-engine';
import { addDays, calendarDay, isoWeekday, localInstant } from '../../src/windows/local-time';
import { evaluateWindow } from '../../src/windows/window-engine';

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
// DST both ways, half-hour offsets and DST, midnight transitions (Santiago), a 30-minute DST (Lord Howe).
const zones = [
  'UTC',
  'Asia/Jerusalem',
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe',
  'America/Santiago',
  'Asia/Kolkata',
  'Pacific/Chatham',
  'America/St_Johns',
] as const;

const hhmm = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45, 59))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const isoDay = fc
  .integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 11, 31) })
  .map((t) => new Date(t).toISOString().slice(0, 10));

const windowArb: fc.Arbitrary<EngineWindow> = fc.record({
  rules: fc.array(
    fc.record({
      days: fc.uniqueArray(fc.constantFrom(...weekdays), { minLength: 1, maxLength: 7 }),
      from: hhmm,
      to: hhmm,
    }),
    { minLength: 1, maxLength: 3 },
  ),
  blackouts: fc.array(
    fc.tuple(isoDay, fc.integer({ min: 1, max: 10 })).map(([from, length]) => ({
      from,
      to: new Date(Date.parse(from) + length * 86_400_000).toISOString().slice(0, 10),
    })),
    { maxLength: 2 },
  ),
});
const instant = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 11, 31) });

/**
 * Membership straight from SPEC §3, with none of the engine's machinery (no horizons, merging or
 * subtraction): blacked-out local dates are closed; otherwise open when an occurrence of a rule that
 * starts on today's or yesterday's local date contains the instant.
 */
function isInside(window: EngineWindow, zone: string, t: number): boolean {
  const local = DateTime.fromMillis(t, { zone });
  const date = local.toISODate() ?? '';
  if (window.blackouts.some((b) => b.from <= date && date < b.to)) return false;
  const today = calendarDay(local);
  return [addDays(today, -1), today].some((day) =>
    window.rules.some((rule) => {
      if (!rule.days.includes(weekdays[isoWeekday(day) - 1]!)) return false;
      const start = localInstant(day, rule.from, zone);
      const end = localInstant(rule.to <= rule.from ? addDays(day, 1) : day, rule.to, zone);
      return start <= t && t < end;
    }),
  );
}

describe('the window engine, by property over random profiles, zones and instants', () => {
  it('agrees with SPEC §3 membership: open now, the next opening, nothing open before it, the close', function () {
    this.timeout(600_000);
    fc.assert(
      fc.property(
        windowArb,
        fc.constantFrom(...zones),
        instant,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 8, maxLength: 8 }),
        (window, zone, at, samples) => {
          const result = evaluateWindow(window, zone, at);
          assert.equal(result.open, isInside(window, zone, at), 'open agrees with membership');
          if (result.opensAt === undefined) return;
          assert.ok(isInside(window, zone, result.opensAt), 'the next opening is inside a window');
          if (!result.open) {
            assert.ok(!isInside(window, zone, result.opensAt - 60_000), 'the minute before the opening is closed');
            for (const f of samples) {
              const t = at + Math.floor(f * (result.opensAt - at));
              if (t < result.opensAt)
                assert.ok(
                  !isInside(window, zone, t),
                  `closed between now and the opening: ${new Date(t).toISOString()}`,
                );
            }
          }
          if (result.closesAt !== undefined) {
            assert.ok(isInside(window, zone, result.closesAt - 1), 'open just before the close');
            assert.ok(!isInside(window, zone, result.closesAt), 'closed at the close');
            for (const f of samples) {
              const t = result.opensAt + Math.floor(f * (result.closesAt - result.opensAt - 1));
              assert.ok(
                isInside(window, zone, t),
                `open between the opening and the close: ${new Date(t).toISOString()}`,
              );
            }
          }
        },
      ),
      { numRuns: 10_000, seed: Number(process.env.PROPERTY_SEED ?? Date.now() % 2 ** 31) },
    );
  });
});
