import assert from 'node:assert/strict';
import Holidays from 'date-holidays';
import { DateTime, Duration } from 'luxon';
import { weekdays, type Weekday } from '../../src/calendar/weekdays';
import { expandIn } from '../../src/regulations/expand';
import { expandPreset, isKnownPreset, regulationPresets, type RegulationPreset } from '../../src/regulations/presets';

const presets = Object.values(regulationPresets);
const ids = (list: RegulationPreset[]) => list.map((p) => p.id);
const clock = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Whether a holiday calendar code is one date-holidays knows: a country ('FR') or a country's state ('US-AL'). */
function isCalendarCode(code: string): boolean {
  const [country, state, ...rest] = code.split('-');
  if (!country || rest.length > 0) return false;
  const holidays = new Holidays();
  if (!Object.hasOwn(holidays.getCountries(), country)) return false;
  return state === undefined || Object.hasOwn(holidays.getStates(country) ?? {}, state);
}

/** Every preset a preset names, through includes and byRecipientRegion. */
const named = (preset: RegulationPreset) => [
  ...(preset.includes ?? []),
  ...Object.values(preset.byRecipientRegion ?? {}),
];

describe('regulation presets (data)', () => {
  it('holds at least the presets issue 18 lists', () => {
    for (const id of ['us-tcpa', 'us-fl', 'us-ok', 'us-md', 'us-ct', 'us-al', 'us-la', 'us-ms', 'fr-canvassing'])
      assert.ok(isKnownPreset(id), id);
    assert.ok(isKnownPreset('us-telemarketing'));
    assert.equal(isKnownPreset('us-ny'), false);
    assert.equal(isKnownPreset('toString'), false, 'an Object.prototype name is not a preset');
  });

  for (const preset of presets) {
    describe(preset.id, () => {
      it('is filed under its own id, with a title, a jurisdiction and what it applies to', () => {
        assert.equal(regulationPresets[preset.id], preset);
        assert.match(preset.id, /^[a-z]{2}(-[a-z]+)+$/);
        assert.ok(preset.title.length > 10 && preset.appliesTo.length > 10);
        assert.ok(isCalendarCode(preset.jurisdiction), `jurisdiction ${preset.jurisdiction}`);
      });

      it('has well-formed rules: HH:MM, from before to, days from the weekday list, no day twice', () => {
        for (const rule of preset.rules ?? []) {
          assert.match(rule.from, clock);
          assert.match(rule.to, clock);
          assert.ok(rule.from < rule.to, `${rule.from}–${rule.to}: no preset here spans midnight`);
          assert.ok(rule.days.length > 0);
          assert.equal(new Set(rule.days).size, rule.days.length);
          for (const day of rule.days) assert.ok(weekdays.includes(day), day);
        }
        assert.notDeepEqual(preset.rules, [], 'an empty rule list would close the preset for good');
      });

      it('names only holiday calendars date-holidays knows', () => {
        for (const code of preset.calendars ?? []) assert.ok(isCalendarCode(code), code);
      });

      it('has caps with max ≥ 1 and a positive ISO-8601 period of at most a year', () => {
        for (const cap of preset.caps ?? []) {
          assert.ok(Number.isInteger(cap.max) && cap.max >= 1, `max ${cap.max}`);
          const per = Duration.fromISO(cap.per);
          assert.ok(per.isValid, cap.per);
          assert.ok(per.toMillis() > 0 && per <= Duration.fromISO('P366D'), cap.per);
        }
      });

      it('names only known presets, and maps each region to a preset of that region', () => {
        for (const id of named(preset)) assert.ok(isKnownPreset(id), id);
        for (const [region, id] of Object.entries(preset.byRecipientRegion ?? {})) {
          assert.ok(isCalendarCode(region) && region.includes('-'), `${region} is an ISO 3166-2 region`);
          assert.equal(regulationPresets[id]?.jurisdiction, region);
        }
      });

      it('has https sources and a real check date', () => {
        assert.ok(preset.sources.length > 0);
        for (const source of preset.sources) {
          assert.ok(source.title.length > 5);
          assert.equal(new URL(source.url).protocol, 'https:', source.url);
        }
        assert.match(preset.checked, /^\d{4}-\d{2}-\d{2}$/);
        assert.ok(DateTime.fromISO(preset.checked).isValid, preset.checked);
      });
    });
  }

  it('has no cycle through includes and byRecipientRegion', () => {
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (id: string, path: string[]) => {
      if (state.get(id) === 'done') return;
      assert.notEqual(state.get(id), 'visiting', `cycle: ${[...path, id].join(' → ')}`);
      state.set(id, 'visiting');
      for (const next of named(regulationPresets[id]!)) visit(next, [...path, id]);
      state.set(id, 'done');
    };
    for (const preset of presets) visit(preset.id, []);
  });

  it('is frozen: a planner cannot edit a preset in place', () => {
    const tcpa = regulationPresets['us-tcpa']!;
    assert.throws(() => {
      (tcpa.rules![0] as { from: string }).from = '00:00';
    }, TypeError);
    assert.equal(tcpa.rules![0]!.from, '08:00');
  });
});

describe('expandPreset', () => {
  it("us-telemarketing for a Florida number: TCPA and Florida's rules", () => {
    assert.deepEqual(ids(expandPreset('us-telemarketing', ['US-FL'])), ['us-telemarketing', 'us-tcpa', 'us-fl']);
  });

  it('us-telemarketing in a state without a preset of its own: TCPA only', () => {
    assert.deepEqual(ids(expandPreset('us-telemarketing', ['US-NY'])), ['us-telemarketing', 'us-tcpa']);
  });

  it('us-telemarketing with no known region: TCPA only', () => {
    assert.deepEqual(ids(expandPreset('us-telemarketing', [])), ['us-telemarketing', 'us-tcpa']);
  });

  it('a number that may be in two states: both state presets, in the order of the regions', () => {
    assert.deepEqual(ids(expandPreset('us-telemarketing', ['US-AL', 'US-FL'])), [
      'us-telemarketing',
      'us-tcpa',
      'us-al',
      'us-fl',
    ]);
  });

  it('reads region codes in any case', () => {
    assert.deepEqual(ids(expandPreset('us-telemarketing', ['us-ct'])), ['us-telemarketing', 'us-tcpa', 'us-ct']);
  });

  it('a state preset on its own brings TCPA with it, once', () => {
    assert.deepEqual(ids(expandPreset('us-fl', ['US-FL'])), ['us-fl', 'us-tcpa']);
  });

  it('fr-canvassing ignores US regions', () => {
    assert.deepEqual(ids(expandPreset('fr-canvassing', ['US-FL'])), ['fr-canvassing']);
  });

  it('throws on an unknown preset', () => {
    assert.throws(() => expandPreset('us-ny', []), /unknown regulation preset 'us-ny'/);
  });

  it('ends on a cycle, each preset once', () => {
    const base = { title: 't', jurisdiction: 'US', appliesTo: 'a', sources: [], checked: '2026-01-01' };
    const table: Record<string, RegulationPreset> = {
      a: { ...base, id: 'a', includes: ['b'] },
      b: { ...base, id: 'b', byRecipientRegion: { 'US-FL': 'c' } },
      c: { ...base, id: 'c', includes: ['a', 'b'] },
    };
    assert.deepEqual(ids(expandIn(table, 'a', ['US-FL'])), ['a', 'b', 'c']);
    assert.deepEqual(ids(expandIn(table, 'c', [])), ['c', 'a', 'b']);
  });

  it('names which preset referred to a missing one', () => {
    const base = { title: 't', jurisdiction: 'US', appliesTo: 'a', sources: [], checked: '2026-01-01' };
    assert.throws(
      () => expandIn({ a: { ...base, id: 'a', includes: ['gone'] } }, 'a', []),
      /unknown regulation preset 'gone' \(named by a\)/,
    );
  });
});

describe("each issue-18 law's key numbers", () => {
  const all = weekdays as readonly Weekday[];
  const monToSat = all.filter((d) => d !== 'sun');
  const monToFri = monToSat.filter((d) => d !== 'sat');
  interface Expected {
    id: string;
    rules: { days: readonly Weekday[]; from: string; to: string }[];
    calendars?: string[];
    caps?: { max: number; per: string }[];
  }
  const table: Expected[] = [
    { id: 'us-tcpa', rules: [{ days: all, from: '08:00', to: '21:00' }] },
    { id: 'us-fl', rules: [{ days: all, from: '08:00', to: '20:00' }], caps: [{ max: 3, per: 'PT24H' }] },
    { id: 'us-ok', rules: [{ days: all, from: '08:00', to: '20:00' }], caps: [{ max: 3, per: 'PT24H' }] },
    { id: 'us-md', rules: [{ days: all, from: '08:00', to: '20:00' }], caps: [{ max: 3, per: 'PT24H' }] },
    { id: 'us-ct', rules: [{ days: all, from: '09:00', to: '20:00' }] },
    { id: 'us-al', rules: [{ days: monToSat, from: '08:00', to: '20:00' }], calendars: ['US-AL'] },
    { id: 'us-la', rules: [{ days: monToSat, from: '08:00', to: '20:00' }], calendars: ['US-LA'] },
    { id: 'us-ms', rules: [{ days: monToSat, from: '08:00', to: '20:00' }] },
    {
      id: 'fr-canvassing',
      rules: [
        { days: monToFri, from: '10:00', to: '13:00' },
        { days: monToFri, from: '14:00', to: '20:00' },
      ],
      calendars: ['FR'],
      caps: [{ max: 4, per: 'P30D' }],
    },
  ];
  for (const expected of table) {
    it(`${expected.id}: ${expected.rules.map((r) => `${r.days.join(',')} ${r.from}–${r.to}`).join(' + ')}`, () => {
      const preset = regulationPresets[expected.id]!;
      assert.deepEqual(preset.rules, expected.rules);
      assert.deepEqual(preset.calendars, expected.calendars);
      assert.deepEqual(preset.caps, expected.caps);
    });
  }

  it('every US state preset brings TCPA; the French one does not', () => {
    for (const id of ['us-fl', 'us-ok', 'us-md', 'us-ct', 'us-al', 'us-la', 'us-ms'])
      assert.deepEqual(regulationPresets[id]!.includes, ['us-tcpa'], id);
    assert.equal(regulationPresets['fr-canvassing']!.includes, undefined);
  });

  it('us-telemarketing: TCPA plus each state preset by region, and no hours of its own', () => {
    const preset = regulationPresets['us-telemarketing']!;
    assert.deepEqual(preset.includes, ['us-tcpa']);
    assert.equal(preset.rules, undefined);
    assert.deepEqual(preset.byRecipientRegion, {
      'US-FL': 'us-fl',
      'US-OK': 'us-ok',
      'US-MD': 'us-md',
      'US-CT': 'us-ct',
      'US-AL': 'us-al',
      'US-LA': 'us-la',
      'US-MS': 'us-ms',
    });
  });
});
