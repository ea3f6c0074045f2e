import { DateTime } from 'luxon';

export interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

const DAY_MS = 86_400_000;

/**
 * The instant of a local wall-clock time in `zone`, by the rules of SPEC §3:
 * a time that does not exist (spring forward) moves forward by the gap, which is what luxon does;
 * a time that occurs twice (fall back) means its earlier occurrence, where luxon picks the later one.
 */
export function localInstant(day: CalendarDay, hhmm: string, zone: string): number {
  const key = `${zone} ${day.year}-${day.month}-${day.day} ${hhmm}`;
  let instant = memo.get(key);
  if (instant === undefined) {
    if (memo.size >= memoLimit) memo.clear();
    instant = computeLocalInstant(day, hhmm, zone);
    memo.set(key, instant);
  }
  return instant;
}

// Zone rules do not change while a process runs, and the same days and rule times recur for every message.
const memo = new Map<string, number>();
const memoLimit = 50_000;

function computeLocalInstant(day: CalendarDay, hhmm: string, zone: string): number {
  const [hour, minute] = hhmm.split(':').map(Number) as [number, number];
  const wall = { ...day, hour, minute };
  const luxonPick = DateTime.fromObject(wall, { zone });
  const wallAsUtc = Date.UTC(day.year, day.month - 1, day.day, hour, minute);
  // Every offset the zone uses around this day; each one that maps back to the same wall time is an occurrence.
  const offsets = new Set(
    [luxonPick.toMillis() - DAY_MS, luxonPick.toMillis(), luxonPick.toMillis() + DAY_MS].map(
      (ms) => DateTime.fromMillis(ms, { zone }).offset,
    ),
  );
  let earliest = luxonPick.toMillis();
  for (const offset of offsets) {
    const candidate = wallAsUtc - offset * 60_000;
    const back = DateTime.fromMillis(candidate, { zone });
    if (back.hour === hour && back.minute === minute && back.day === day.day && candidate < earliest) {
      earliest = candidate;
    }
  }
  return earliest;
}

export const calendarDay = (dt: DateTime): CalendarDay => ({ year: dt.year, month: dt.month, day: dt.day });

/** `YYYY-MM-DD` as a calendar day. */
export function parseDay(iso: string): CalendarDay {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}

/** The calendar day `n` days after `day` (calendar arithmetic, no time zone involved). */
export function addDays(day: CalendarDay, n: number): CalendarDay {
  const d = new Date(Date.UTC(day.year, day.month - 1, day.day + n));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** ISO weekday of a calendar day: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: CalendarDay): number {
  const d = new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay();
  return d === 0 ? 7 : d;
}
