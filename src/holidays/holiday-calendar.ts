import Holidays from 'date-holidays';

/** 'US', 'US-AL', 'FR': a country (ISO 3166-1 alpha-2) or one of its regions (ISO 3166-2) the library knows. */
export function isKnownCalendar(code: string): boolean {
  const [country, region, ...rest] = code.split('-');
  if (!country || rest.length > 0 || !/^[A-Z]{2}$/.test(country)) return false;
  // `init('ZZ')` succeeds for unknown codes: check against the library's own lists.
  const countries = new Holidays().getCountries('en');
  if (!(country in countries)) return false;
  if (region === undefined) return true;
  return region in (new Holidays().getStates(country, 'en') ?? {});
}

export interface HolidayBlackout {
  /** First local date closed, YYYY-MM-DD. */
  from: string;
  /** Local date after the last one closed (exclusive), YYYY-MM-DD. */
  to: string;
  name: string;
  calendar: string;
}

const cache = new Map<string, HolidayBlackout[]>();

const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

function yearOf(code: string, year: number): HolidayBlackout[] {
  const key = `${code} ${year}`;
  let found = cache.get(key);
  if (found) return found;
  const [country, region] = code.split('-');
  const calendar = new Holidays(country!, region ?? '', { languages: ['en'], types: ['public', 'bank'] });
  // Public holidays and their observed days; the library types some observed federal days `bank` (Veterans Day
  // on a Friday), so a `bank` entry counts only as the substitute of a public one.
  found = calendar
    .getHolidays(year, 'en')
    .filter((h) => h.type === 'public' || (h.type === 'bank' && h.substitute === true))
    .map((h) => {
      const from = h.date.slice(0, 10);
      return { from, to: nextDay(from), name: h.name, calendar: code };
    })
    .sort((a, b) => a.from.localeCompare(b.from));
  cache.set(key, found);
  return found;
}

/** Public holidays with the observed-day shifts the library knows, whose dates fall in [fromYear, toYear]. */
export function holidayBlackouts(code: string, fromYear: number, toYear: number): HolidayBlackout[] {
  if (!isKnownCalendar(code)) throw new RangeError(`unknown holiday calendar ${code}`);
  const all: HolidayBlackout[] = [];
  for (let year = fromYear; year <= toYear; year++) all.push(...yearOf(code, year));
  return all;
}
