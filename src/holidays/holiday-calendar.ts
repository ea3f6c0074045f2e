import Holidays, { type HolidaysTypes } from 'date-holidays';
import { knownCalendarCodes } from './calendar-codes';
import { blackoutOf } from './local-days';

export interface HolidayBlackout {
  /** First local date closed, YYYY-MM-DD. */
  from: string;
  /** Local date after the last one closed (exclusive), YYYY-MM-DD. */
  to: string;
  /** English name, e.g. "Thanksgiving Day" or "Independence Day (observed)". */
  name: string;
  /** The calendar code it came from. */
  calendar: string;
}

/** 'US', 'US-AL', 'FR', 'CA-QC' ...: a country (ISO 3166-1 alpha-2) or country-region (ISO 3166-2) the library knows. */
export function isKnownCalendar(code: string): boolean {
  return knownCalendarCodes().has(code);
}

/**
 * Public holidays (with the observed-day shifts the library knows) of the calendar whose dates fall in
 * [fromYear, toYear]. Sorted by from. Throws on unknown code.
 */
export function holidayBlackouts(code: string, fromYear: number, toYear: number): HolidayBlackout[] {
  if (!isKnownCalendar(code)) throw new RangeError(`unknown holiday calendar "${code}"`);
  if (!Number.isInteger(fromYear) || !Number.isInteger(toYear)) {
    throw new RangeError(`holiday years must be integers, got ${fromYear} and ${toYear}`);
  }
  const out: HolidayBlackout[] = [];
  for (let year = fromYear; year <= toYear; year++) out.push(...yearBlackouts(code, year));
  return out;
}

/**
 * Countries whose library data carries the US federal list. There the observed day of Veterans Day is typed 'bank'
 * while every other federal observed day is 'public' (checked in date-holidays 3.37.0); federal offices close on it,
 * so it counts like the others. docs/holiday-calendars.md has the survey.
 */
const usFederal = new Set(['US', 'AS', 'GU', 'PR', 'VI']);
const librarySuffix = ' (substitute day)';

// The planner asks for every message, and computing a year costs about a millisecond; the data never changes while
// the process runs. Bounded so a caller walking many years or codes cannot grow it without end.
const cache = new Map<string, readonly HolidayBlackout[]>();
const cacheLimit = 5_000;
const calendars = new Map<string, Holidays>();

function yearBlackouts(code: string, year: number): readonly HolidayBlackout[] {
  const key = `${code} ${year}`;
  let blackouts = cache.get(key);
  if (blackouts === undefined) {
    if (cache.size >= cacheLimit) cache.clear();
    blackouts = Object.freeze(computeYear(code, year).map((b) => Object.freeze(b)));
    cache.set(key, blackouts);
  }
  return blackouts;
}

function computeYear(code: string, year: number): HolidayBlackout[] {
  const calendar = calendarOf(code);
  const holidays = calendar.getHolidays(year);
  const federal = usFederal.has(code.split('-')[0]!);
  // A substitute of 1 January can fall on 31 December, so its holiday is looked for in the neighbouring years too.
  const publicNames = federal
    ? new Set(
        [year - 1, year, year + 1]
          .flatMap((y) => (y === year ? holidays : calendar.getHolidays(y)))
          .filter((h) => h.type === 'public' && !h.substitute)
          .map((h) => h.name),
      )
    : new Set<string>();
  const counts = (h: HolidaysTypes.Holiday) =>
    h.type === 'public' ||
    (federal && h.type === 'bank' && h.substitute === true && publicNames.has(h.name.replace(librarySuffix, '')));
  return holidays
    .filter(counts)
    .map((h) => {
      const name = federal && h.substitute ? h.name.replace(librarySuffix, ' (observed)') : h.name;
      return { ...blackoutOf(h), name, calendar: code };
    })
    .filter((b) => b.from.startsWith(`${year}-`))
    .sort((a, b) => (a.from === b.from ? a.name.localeCompare(b.name) : a.from < b.from ? -1 : 1));
}

function calendarOf(code: string): Holidays {
  let calendar = calendars.get(code);
  if (calendar === undefined) {
    const [country, state] = code.split('-');
    // 'UTC' makes the library's instants read as local wall-clock times (see local-days.ts); the dates it computes
    // do not depend on the zone (checked for every calendar, 2026–2030). 'bank' is fetched for the US fix above.
    calendar = new Holidays(state === undefined ? { country: country! } : { country: country!, state }, {
      types: ['public', 'bank'],
      timezone: 'UTC',
      languages: ['en'],
    });
    calendars.set(code, calendar);
  }
  return calendar;
}
