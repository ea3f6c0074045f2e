import { DateTime } from 'luxon';
import { weekdays, type Weekday } from '../calendar/weekdays';
import { addDays, calendarDay, isoWeekday, localInstant, parseDay, type CalendarDay } from './local-time';

/** A date-range blackout, local dates with `to` exclusive; `name` says which holiday when a calendar set it. */
export interface DatedBlackout {
  from: string;
  to: string;
  name?: string;
}

/** What the engine evaluates: weekly rules (a union) minus dated blackouts, in one zone. */
export interface EngineWindow {
  rules: readonly { days: readonly Weekday[]; from: string; to: string }[];
  blackouts: readonly DatedBlackout[];
}

interface Piece {
  start: number;
  end: number;
  rule: number;
}

export interface WindowEvaluation {
  open: boolean;
  /** The instant the window opens (`at` itself when open); absent when it never opens within the horizon. */
  opensAt?: number;
  /** The end of the open stretch that contains or follows `opensAt`; absent when it does not close within the horizon. */
  closesAt?: number;
  /** Index of the rule whose window contains `at` (open) or starts at `opensAt` (closed). */
  rule?: number;
  /** Blackouts that closed the channel somewhere between `at` and `opensAt`. */
  blackoutsSkipped: DatedBlackout[];
}

/** How far ahead to look, growing only when the answer needs it: most answers fall within a week. */
const horizonsInDays = [8, 32, 370, 740];

/** Every rule's occurrence starting on `days` consecutive local dates from `first`. Empty ones (DST) are dropped. */
function occurrences(window: EngineWindow, zone: string, first: CalendarDay, days: number): Piece[] {
  const pieces: Piece[] = [];
  for (let d = 0; d < days; d++) {
    const day = addDays(first, d);
    const weekday = weekdays[isoWeekday(day) - 1];
    window.rules.forEach((rule, index) => {
      if (weekday === undefined || !rule.days.includes(weekday)) return;
      const start = localInstant(day, rule.from, zone);
      // `to` ≤ `from`: the window runs past midnight and belongs to the day it starts on.
      const end = localInstant(rule.to <= rule.from ? addDays(day, 1) : day, rule.to, zone);
      if (end > start) pieces.push({ start, end, rule: index });
    });
  }
  return pieces;
}

function blackoutIntervals(window: EngineWindow, zone: string) {
  return window.blackouts.map((b) => ({
    ...b,
    start: localInstant(parseDay(b.from), '00:00', zone),
    end: localInstant(parseDay(b.to), '00:00', zone),
  }));
}

const blackoutsBetween = (blackouts: ReturnType<typeof blackoutIntervals>, from: number, to: number) =>
  blackouts
    .filter((b) => b.start < to && b.end > from)
    .map(({ from: first, to: last, name }) => ({ from: first, to: last, ...(name ? { name } : {}) }));

/** The blackouts of `window` that close some of [from, to) in `zone`: what a wait until `to` skipped. */
export const blackoutsSkipped = (window: EngineWindow, zone: string, from: number, to: number): DatedBlackout[] =>
  blackoutsBetween(blackoutIntervals(window, zone), from, to);

/** Removes blacked-out stretches from each piece; a piece may split in two or vanish. */
function subtract(pieces: Piece[], blackouts: { start: number; end: number }[]): Piece[] {
  let result = pieces;
  for (const b of blackouts) {
    result = result.flatMap((p) => {
      if (b.end <= p.start || b.start >= p.end) return [p];
      const kept: Piece[] = [];
      if (p.start < b.start) kept.push({ ...p, end: b.start });
      if (b.end < p.end) kept.push({ ...p, start: b.end });
      return kept;
    });
  }
  return result.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** Joins overlapping or touching pieces into open stretches; each keeps its pieces for the explanation. */
function stretches(pieces: Piece[]): { start: number; end: number; pieces: Piece[] }[] {
  const merged: { start: number; end: number; pieces: Piece[] }[] = [];
  for (const piece of pieces) {
    const last = merged[merged.length - 1];
    if (last && piece.start <= last.end) {
      last.end = Math.max(last.end, piece.end);
      last.pieces.push(piece);
    } else {
      merged.push({ start: piece.start, end: piece.end, pieces: [piece] });
    }
  }
  return merged;
}

/**
 * SPEC §3 window semantics for one channel at instant `at` (epoch ms): the union of half-open rule windows
 * in local time of `zone`, minus blackout dates. Pure: no clock, no I/O.
 */
export function evaluateWindow(window: EngineWindow, zone: string, at: number): WindowEvaluation {
  // Start a day early: yesterday's overnight window may still be open.
  const first = addDays(calendarDay(DateTime.fromMillis(at, { zone })), -1);
  const blackouts = blackoutIntervals(window, zone);
  for (const [i, days] of horizonsInDays.entries()) {
    const lastHorizon = i === horizonsInDays.length - 1;
    const horizonEnd = localInstant(addDays(first, days), '00:00', zone);
    const stretch = stretches(subtract(occurrences(window, zone, first, days), blackouts)).find((s) => s.end > at);
    // A stretch that reaches the horizon may continue past it: look further unless this is the last look.
    if (!stretch || (stretch.end >= horizonEnd && !lastHorizon)) {
      if (lastHorizon) return { open: false, blackoutsSkipped: [] };
      continue;
    }
    const open = stretch.start <= at;
    const opensAt = open ? at : stretch.start;
    const piece = open ? stretch.pieces.find((p) => p.start <= at && p.end > at) : stretch.pieces[0];
    return {
      open,
      opensAt,
      closesAt: stretch.end >= horizonEnd ? undefined : stretch.end,
      rule: piece?.rule,
      blackoutsSkipped: blackoutsBetween(blackouts, at, opensAt),
    };
  }
  return { open: false, blackoutsSkipped: [] };
}
