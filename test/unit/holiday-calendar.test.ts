import assert from 'node:assert/strict';
import { holidayBlackouts, isKnownCalendar, type HolidayBlackout } from '../../src/holidays/holiday-calendar';

const on = (code: string, year: number, from: string) =>
  holidayBlackouts(code, year, year).filter((b) => b.from === from);
const names = (code: string, year: number, from: string) => on(code, year, from).map((b) => b.name);
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 Sunday … 6 Saturday

describe('holiday calendars (date-holidays 3.37.0, public holidays and their observed days)', () => {
  it('US 2026: Thanksgiving Day closes 2026-11-26, one whole local day', () => {
    assert.deepEqual(on('US', 2026, '2026-11-26'), [
      { from: '2026-11-26', to: '2026-11-27', name: 'Thanksgiving Day', calendar: 'US' },
    ]);
  });

  it('US 2026: Independence Day on a Saturday is observed on Friday 2026-07-03, in US and in US-AL', () => {
    assert.equal(weekday('2026-07-04'), 6);
    for (const code of ['US', 'US-AL']) {
      assert.deepEqual(names(code, 2026, '2026-07-03'), ['Independence Day (observed)'], code);
      assert.deepEqual(names(code, 2026, '2026-07-04'), ['Independence Day'], code);
    }
  });

  it('only public holidays count: observances, optional days and the day after Thanksgiving do not', () => {
    const froms = holidayBlackouts('US', 2026, 2026).map((b) => b.from);
    for (const notPublic of ['2026-02-14', '2026-04-05', '2026-10-31', '2026-11-27', '2026-12-24', '2026-12-31']) {
      assert.ok(!froms.includes(notPublic), notPublic);
    }
    assert.equal(froms.length, 12); // 11 federal holidays + the observed 07-03
  });

  it("US-AL 2026: Alabama's state holidays (Confederate Memorial Day 04-27, Jefferson Davis' birthday 06-01)", () => {
    assert.deepEqual(names('US-AL', 2026, '2026-04-27'), ['Confederate Memorial Day']);
    assert.deepEqual(names('US-AL', 2026, '2026-06-01'), ["Jefferson Davis' birthday"]);
    assert.deepEqual(names('US', 2026, '2026-04-27'), []);
  });

  it('US-AL 2026–2030: no Alabama-only holiday can fall on a Saturday (all Mondays), so no state shift exists', () => {
    const federal = new Set(holidayBlackouts('US', 2026, 2030).map((b) => b.from));
    const alabamaOnly = holidayBlackouts('US-AL', 2026, 2030).filter((b) => !federal.has(b.from));
    assert.equal(alabamaOnly.length, 10); // Confederate Memorial Day and Jefferson Davis' birthday, five years
    for (const b of alabamaOnly) assert.equal(weekday(b.from), 1, `${b.name} ${b.from}`);
  });

  it('US-AL: federal holidays on a Saturday are observed on the Friday before, across the new year too', () => {
    assert.equal(weekday('2027-12-25'), 6);
    assert.deepEqual(names('US-AL', 2027, '2027-12-24'), ['Christmas Day (observed)']);
    assert.deepEqual(names('US-AL', 2027, '2027-06-18'), ['Juneteenth (observed)']);
    // 2028-01-01 is a Saturday: its observed day is in 2027, and 2028 does not list it a second time.
    assert.deepEqual(names('US-AL', 2027, '2027-12-31'), ["New Year's Day (observed)"]);
    assert.deepEqual(
      holidayBlackouts('US-AL', 2028, 2028).filter((b) => b.name.startsWith("New Year's Day")),
      [{ from: '2028-01-01', to: '2028-01-02', name: "New Year's Day", calendar: 'US-AL' }],
    );
  });

  it("Veterans Day on a Saturday: Friday 2028-11-10 is observed although the library types it 'bank'", () => {
    assert.equal(weekday('2028-11-11'), 6);
    for (const code of ['US', 'US-AL', 'US-FL', 'PR']) {
      assert.deepEqual(names(code, 2028, '2028-11-10'), ['Veterans Day (observed)'], code);
      assert.deepEqual(names(code, 2028, '2028-11-11'), ['Veterans Day'], code);
    }
    // On a Sunday it moves to the Monday.
    assert.deepEqual(names('US', 2029, '2029-11-12'), ['Veterans Day (observed)']);
  });

  it("outside the US family a 'bank' substitute day stays out (Bermuda's Boxing Day on Monday 2026-12-28)", () => {
    assert.deepEqual(names('BM', 2026, '2026-12-26'), ['Boxing Day']);
    assert.deepEqual(names('BM', 2026, '2026-12-28'), []);
  });

  it('US-LA 2026: Mardi Gras closes 2026-02-17', () => {
    assert.deepEqual(on('US-LA', 2026, '2026-02-17'), [
      { from: '2026-02-17', to: '2026-02-18', name: 'Mardi Gras', calendar: 'US-LA' },
    ]);
  });

  it('FR 2026: the eleven public holidays with English names; Pentecost Sunday is only an observance', () => {
    const fr = holidayBlackouts('FR', 2026, 2026);
    assert.deepEqual(
      fr.map((b) => `${b.from} ${b.name}`),
      [
        "2026-01-01 New Year's Day",
        '2026-04-06 Easter Monday',
        '2026-05-01 Labour Day',
        '2026-05-08 Victory Day',
        '2026-05-14 Ascension Day',
        '2026-05-25 Whit Monday',
        '2026-07-14 Bastille Day',
        '2026-08-15 Assumption',
        "2026-11-01 All Saints' Day",
        '2026-11-11 Armistice Day',
        '2026-12-25 Christmas Day',
      ],
    );
    assert.ok(fr.every((b) => b.calendar === 'FR' && b.to > b.from));
  });

  it('a holiday of part of a day closes the whole day, one of several days closes each of them', () => {
    // Kentucky's Good Friday runs from 14:00 in the library.
    assert.deepEqual(
      on('US-KY', 2026, '2026-04-03').map(({ from, to }) => ({ from, to })),
      [{ from: '2026-04-03', to: '2026-04-04' }],
    );
    // Turkey's Eid al-Fitr lasts 90 hours from 1 Shawwal (2026-03-20), so it closes four days.
    assert.deepEqual(
      on('TR', 2026, '2026-03-20').map(({ from, to }) => ({ from, to })),
      [{ from: '2026-03-20', to: '2026-03-24' }],
    );
  });

  it('several years come sorted by from, each year only its own dates', () => {
    const all = holidayBlackouts('US', 2026, 2028);
    const froms = all.map((b) => b.from);
    assert.deepEqual(froms, [...froms].sort());
    assert.ok(froms[0]!.startsWith('2026-') && froms.at(-1)!.startsWith('2028-'));
    assert.equal(all.length, holidayBlackouts('US', 2026, 2026).length + holidayBlackouts('US', 2027, 2028).length);
    assert.deepEqual(holidayBlackouts('US', 2027, 2026), []);
  });

  it('isKnownCalendar: exact upper-case codes of the library only', () => {
    for (const code of ['US', 'US-AL', 'US-LA', 'FR', 'CA-QC', 'FR-57'])
      assert.equal(isKnownCalendar(code), true, code);
    for (const code of ['ZZ', 'US-ZZ', 'us', 'us-al', 'US-al', '', 'US-', '-AL', 'US-AL-X', 'USA']) {
      assert.equal(isKnownCalendar(code), false, JSON.stringify(code));
    }
  });

  it('an unknown code throws, and so do years that are not integers', () => {
    for (const code of ['ZZ', 'US-ZZ', 'us', '']) {
      assert.throws(() => holidayBlackouts(code, 2026, 2026), /unknown holiday calendar/, code);
    }
    assert.throws(() => holidayBlackouts('US', 2026.5, 2027), /integers/);
  });

  it('the cached answers cannot be changed through a returned object', () => {
    const first = holidayBlackouts('US', 2026, 2026)[0] as HolidayBlackout;
    assert.throws(() => {
      first.name = 'changed';
    }, TypeError);
    assert.equal(holidayBlackouts('US', 2026, 2026)[0]!.name, "New Year's Day");
  });
});
