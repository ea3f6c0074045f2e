import { Duration } from 'luxon';
import { longestPeriodMs } from './scope-key';

/** A cap as the ledger applies it: the rule as configured, and its period in milliseconds. */
export interface TimedCap<Rule> {
  rule: Rule;
  max: number;
  perMs: number;
}

/**
 * `per` as the profile schema reads it (luxon: P1D is 24 hours, P1M 30 days). A period that is not positive or
 * longer than a year is refused here too: the ledger's purge is sound only up to that length.
 */
export function timedCap<Rule extends { max: number; per: string }>(rule: Rule): TimedCap<Rule> {
  const duration = Duration.fromISO(rule.per);
  const perMs = duration.isValid ? duration.toMillis() : NaN;
  if (!(perMs > 0 && perMs <= longestPeriodMs)) throw new Error(`cap period ${rule.per}: expected PT1S … P366D`);
  if (!Number.isInteger(rule.max) || rule.max < 1) throw new Error(`cap max ${rule.max}: expected a whole number ≥ 1`);
  return { rule, max: rule.max, perMs };
}

export type CapVerdict<Rule> = { granted: true } | { granted: false; cap: Rule; count: number; freesAt: Date };

/**
 * Whether one more slot at `atMs` fits every cap, counting the unreleased slots whose reservation lies within
 * each cap's period before `atMs`. When a cap is full, a slot frees once enough of its oldest counted slots have
 * left the period that fewer than `max` remain: with `count` counted, the (count − max + 1)-th oldest, which is
 * the oldest when count = max. Of several full caps, the one that frees last is the one to wait for.
 */
export function judgeCaps<Rule>(
  slots: readonly { at: Date; released: boolean }[],
  caps: readonly TimedCap<Rule>[],
  atMs: number,
): CapVerdict<Rule> {
  let verdict: CapVerdict<Rule> = { granted: true };
  for (const cap of caps) {
    const counted = slots
      .filter((slot) => !slot.released && slot.at.getTime() > atMs - cap.perMs)
      .map((slot) => slot.at.getTime())
      .sort((a, b) => a - b);
    if (counted.length < cap.max) continue;
    const freesAt = new Date(counted[counted.length - cap.max]! + cap.perMs);
    if (verdict.granted || freesAt > verdict.freesAt)
      verdict = { granted: false, cap: cap.rule, count: counted.length, freesAt };
  }
  return verdict;
}
