import type { HolidaysTypes } from 'date-holidays';

const DAY_MS = 86_400_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The whole local days a holiday touches, `to` exclusive. `date` is the library's local start
 * ("2026-11-26 00:00:00", or "2026-03-20 00:00:00 -0600" for a day that begins the evening before); its length is
 * `end - start`, which in a 'UTC' instance has no DST hour in it. A holiday of part of a day (Kentucky's Good Friday
 * from 14:00) closes the whole day, and one that starts at sunset closes only the day named in `date`: days are
 * what the window engine blacks out, and these are the days the library calls the holiday.
 */
export function blackoutOf(holiday: HolidaysTypes.Holiday): { from: string; to: string } {
  const from = holiday.date.slice(0, 10);
  const startWall = Date.parse(`${holiday.date.slice(0, 10)}T${holiday.date.slice(11, 19)}Z`);
  const endWall = startWall + (holiday.end.getTime() - holiday.start.getTime());
  const lastDay = Math.floor((endWall - 1) / DAY_MS) * DAY_MS;
  const to = isoDate(Math.max(lastDay + DAY_MS, Date.parse(`${from}T00:00:00Z`) + DAY_MS));
  return { from, to };
}
