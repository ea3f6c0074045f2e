import assert from 'node:assert/strict';
import { evaluateWindow, type EngineWindow } from '../../src/windows/window-engine';

type Rule = EngineWindow['rules'][number];
const win = (rules: Rule[], blackouts: EngineWindow['blackouts'] = []): EngineWindow => ({ rules, blackouts });
const everyDay: Rule['days'] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const ms = (iso: string) => Date.parse(iso);
const iso = (value: number | undefined) => (value === undefined ? undefined : new Date(value).toISOString());

interface Case {
  name: string;
  window: EngineWindow;
  zone: string;
  at: string;
  open: boolean;
  opensAt?: string;
  closesAt?: string;
  rule?: number;
}

const officeHours = win([{ days: ['sun', 'mon', 'tue', 'wed', 'thu'], from: '08:00', to: '20:00' }]);

const cases: Case[] = [
  {
    name: 'inside a rule: open, closing at its end',
    window: officeHours,
    zone: 'Asia/Jerusalem',
    at: '2026-11-25T10:00:00Z', // Wed 12:00 IST
    open: true,
    closesAt: '2026-11-25T18:00:00.000Z',
    rule: 0,
  },
  {
    name: 'at `from` exactly: open (half-open, start included)',
    window: officeHours,
    zone: 'Asia/Jerusalem',
    at: '2026-11-25T06:00:00Z', // Wed 08:00 IST
    open: true,
    closesAt: '2026-11-25T18:00:00.000Z',
  },
  {
    name: 'at `to` exactly: closed (half-open, end excluded), next opening tomorrow',
    window: officeHours,
    zone: 'Asia/Jerusalem',
    at: '2026-11-25T18:00:00Z', // Wed 20:00 IST
    open: false,
    opensAt: '2026-11-26T06:00:00.000Z',
  },
  {
    name: 'Thursday evening waits for Sunday morning (Fri and Sat are not listed)',
    window: officeHours,
    zone: 'Asia/Jerusalem',
    at: '2026-11-26T19:00:00Z', // Thu 21:00 IST
    open: false,
    opensAt: '2026-11-29T06:00:00.000Z',
  },
  {
    name: 'a window past midnight belongs to the day it starts on: Friday 22:00–02:00 is open early Saturday',
    window: win([{ days: ['fri'], from: '22:00', to: '02:00' }]),
    zone: 'Europe/London',
    at: '2026-11-28T01:00:00Z', // Sat 01:00 GMT
    open: true,
    closesAt: '2026-11-28T02:00:00.000Z',
  },
  {
    name: 'a window past midnight does not open on the day after its listed day',
    window: win([{ days: ['fri'], from: '22:00', to: '02:00' }]),
    zone: 'Europe/London',
    at: '2026-11-28T12:00:00Z', // Sat noon
    open: false,
    opensAt: '2026-12-04T22:00:00.000Z',
  },
  {
    name: '22:00–02:00 on the last day of a week (Sunday) runs into Monday',
    window: win([{ days: ['sun'], from: '22:00', to: '02:00' }]),
    zone: 'America/New_York',
    at: '2026-11-30T06:30:00Z', // Mon 01:30 EST
    open: true,
    closesAt: '2026-11-30T07:00:00.000Z',
  },
  {
    name: '22:00–02:00 on the last day of a month runs into the next month',
    window: win([{ days: everyDay, from: '22:00', to: '02:00' }]),
    zone: 'Asia/Jerusalem',
    at: '2026-11-30T23:30:00Z', // Tue 1 Dec 01:30 IST, opened Mon 30 Nov 22:00
    open: true,
    opensAt: '2026-11-30T23:30:00.000Z',
    closesAt: '2026-12-01T00:00:00.000Z',
  },
  {
    name: '22:00–02:00 on the last day of the year runs into the new year',
    window: win([{ days: ['thu'], from: '22:00', to: '02:00' }]),
    zone: 'Europe/London',
    at: '2026-12-31T20:00:00Z', // Thu 31 Dec 20:00
    open: false,
    opensAt: '2026-12-31T22:00:00.000Z',
  },
  {
    name: 'several rules are a union; touching rules make one open stretch',
    window: win([
      { days: ['mon'], from: '08:00', to: '12:00' },
      { days: ['mon'], from: '12:00', to: '14:00' },
      { days: ['mon'], from: '18:00', to: '19:00' },
    ]),
    zone: 'UTC',
    at: '2026-11-30T09:00:00Z',
    open: true,
    closesAt: '2026-11-30T14:00:00.000Z',
    rule: 0,
  },
  {
    name: 'between two rules of a union the next rule opens',
    window: win([
      { days: ['mon'], from: '08:00', to: '12:00' },
      { days: ['mon'], from: '18:00', to: '19:00' },
    ]),
    zone: 'UTC',
    at: '2026-11-30T15:00:00Z',
    open: false,
    opensAt: '2026-11-30T18:00:00.000Z',
    rule: 1,
  },
  {
    name: 'a blackout covering the next three openings defers to the fourth',
    window: win([{ days: everyDay, from: '09:00', to: '17:00' }], [{ from: '2026-12-24', to: '2026-12-27' }]),
    zone: 'Europe/London',
    at: '2026-12-23T18:00:00Z',
    open: false,
    opensAt: '2026-12-27T09:00:00.000Z',
  },
  {
    name: 'a blackout closes the part of an overnight window that falls on its date',
    window: win([{ days: ['thu'], from: '22:00', to: '02:00' }], [{ from: '2026-12-25', to: '2026-12-26' }]),
    zone: 'UTC',
    at: '2026-12-24T23:00:00Z',
    open: true,
    closesAt: '2026-12-25T00:00:00.000Z',
  },
  {
    name: 'New York: a rule whose start moves through the spring-forward gap past its own end is empty that day',
    window: win([{ days: ['sun'], from: '02:30', to: '03:15' }]),
    zone: 'America/New_York',
    at: '2026-03-08T07:20:00Z', // Sun 03:20 EDT: 02:30 moved to 03:30, past 03:15
    open: false,
    opensAt: '2026-03-15T06:30:00.000Z', // the next Sunday, 02:30 EDT
  },
  {
    name: 'New York: a rule spanning the repeated hour is open through both occurrences',
    window: win([{ days: ['sun'], from: '01:30', to: '03:00' }]),
    zone: 'America/New_York',
    at: '2026-11-01T06:15:00Z', // 01:15 EST, the second 01:xx, after 01:30 EDT opened the rule
    open: true,
    closesAt: '2026-11-01T08:00:00.000Z', // 03:00 EST
  },
  {
    name: "a blackout on an overnight rule's start day leaves the part after midnight open",
    window: win([{ days: ['fri'], from: '22:00', to: '02:00' }], [{ from: '2026-11-27', to: '2026-11-28' }]),
    zone: 'UTC',
    at: '2026-11-28T01:00:00Z', // Sat 01:00, the Friday rule's morning part
    open: true,
    closesAt: '2026-11-28T02:00:00.000Z',
  },
  {
    name: 'New York: a window starting inside the spring-forward gap (02:30) opens at 03:30 EDT',
    window: win([{ days: ['sun'], from: '02:30', to: '06:00' }]),
    zone: 'America/New_York',
    at: '2026-03-08T05:00:00Z', // Sun 00:00 EST
    open: false,
    opensAt: '2026-03-08T07:30:00.000Z',
  },
  {
    name: 'New York: a window ending inside the fall-back overlap (01:30) ends at its first occurrence',
    window: win([{ days: ['sun'], from: '00:00', to: '01:30' }]),
    zone: 'America/New_York',
    at: '2026-11-01T05:00:00Z', // 01:00 EDT, first pass
    open: true,
    closesAt: '2026-11-01T05:30:00.000Z',
  },
  {
    name: 'New York: a window starting inside the fall-back overlap opens at its first occurrence',
    window: win([{ days: ['sun'], from: '01:30', to: '03:00' }]),
    zone: 'America/New_York',
    at: '2026-11-01T04:00:00Z', // 00:00 EDT
    open: false,
    opensAt: '2026-11-01T05:30:00.000Z',
  },
  {
    name: 'London: a window starting inside the spring-forward gap (01:15) opens at 02:15 BST',
    window: win([{ days: ['sun'], from: '01:15', to: '05:00' }]),
    zone: 'Europe/London',
    at: '2026-03-29T00:00:00Z',
    open: false,
    opensAt: '2026-03-29T01:15:00.000Z',
  },
  {
    name: 'London: a window ending inside the fall-back overlap (01:30) ends at 01:30 BST',
    window: win([{ days: ['sun'], from: '00:00', to: '01:30' }]),
    zone: 'Europe/London',
    at: '2026-10-25T00:10:00Z', // 01:10 BST
    open: true,
    closesAt: '2026-10-25T00:30:00.000Z',
  },
  {
    name: 'Jerusalem: a window starting inside the spring-forward gap (02:15, Friday 27 March) opens at 03:15 IDT',
    window: win([{ days: ['fri'], from: '02:15', to: '09:00' }]),
    zone: 'Asia/Jerusalem',
    at: '2026-03-26T22:00:00Z', // Fri 00:00 IST
    open: false,
    opensAt: '2026-03-27T00:15:00.000Z',
  },
  {
    name: 'Jerusalem: a window ending inside the fall-back overlap (01:30, 25 October) ends at 01:30 IDT',
    window: win([{ days: ['sat'], from: '23:00', to: '01:30' }]),
    zone: 'Asia/Jerusalem',
    at: '2026-10-24T21:00:00Z', // Sun 00:00 IDT
    open: true,
    closesAt: '2026-10-24T22:30:00.000Z',
  },
  {
    name: 'a window whose every day is blacked out for years never opens',
    window: win([{ days: ['mon'], from: '09:00', to: '10:00' }], [{ from: '2026-01-01', to: '2030-01-01' }]),
    zone: 'UTC',
    at: '2026-11-25T00:00:00Z',
    open: false,
  },
];

describe('the window engine (SPEC §3)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const result = evaluateWindow(c.window, c.zone, ms(c.at));
      assert.equal(result.open, c.open, 'open');
      if (c.open) assert.equal(iso(result.opensAt), c.opensAt ?? new Date(ms(c.at)).toISOString(), 'opensAt');
      else assert.equal(iso(result.opensAt), c.opensAt, 'opensAt');
      if (c.closesAt) assert.equal(iso(result.closesAt), c.closesAt, 'closesAt');
      if (c.rule !== undefined) assert.equal(result.rule, c.rule, 'rule');
    });
  }

  it('names the blackouts it skipped', () => {
    const result = evaluateWindow(
      win([{ days: everyDay, from: '09:00', to: '17:00' }], [{ from: '2026-12-24', to: '2026-12-27' }]),
      'Europe/London',
      ms('2026-12-23T18:00:00Z'),
    );
    assert.deepEqual(result.blackoutsSkipped, [{ from: '2026-12-24', to: '2026-12-27' }]);
  });

  it('a stretch open every hour of every day has no close within the horizon', () => {
    const result = evaluateWindow(
      win([{ days: everyDay, from: '00:00', to: '00:00' }]),
      'UTC',
      ms('2026-11-25T12:00:00Z'),
    );
    assert.equal(result.open, true);
    assert.equal(result.closesAt, undefined);
  });
});
