import type { Weekday } from '../calendar/weekdays';

/** One allowed span: on `days`, from `from` (included) to `to` (excluded), HH:MM in the recipient's local time. */
export interface PresetRule {
  days: Weekday[];
  from: string;
  to: string;
}

/** At most `max` messages per recipient within any period `per` (ISO-8601 duration such as PT24H or P30D). */
export interface PresetCap {
  max: number;
  per: string;
}

/**
 * A law's time limits as data (docs/regulations.md lists each with its source). Layers compose by intersection:
 * a preset's rules are a union of allowed spans, and every preset, calendar and cap that applies must allow a send.
 */
export interface RegulationPreset {
  id: string;
  title: string;
  /** ISO 3166-1 or 3166-2 code of the law's reach: 'US', 'US-FL', 'FR'. */
  jurisdiction: string;
  /** Plain words: which communications the law governs. */
  appliesTo: string;
  /** Allowed times (union); absent: the preset sets no hours of its own. */
  rules?: PresetRule[];
  /** Holiday calendar codes ('US-AL', 'FR') whose public holidays are closed all day. */
  calendars?: string[];
  /** Per recipient, counted over the message's category. */
  caps?: PresetCap[];
  /** Other presets that also apply (intersection). */
  includes?: string[];
  /** ISO 3166-2 region → the preset that also applies when the recipient is located there. */
  byRecipientRegion?: Record<string, string>;
  sources: { title: string; url: string }[];
  /** YYYY-MM-DD: when the entry was last checked against its sources. */
  checked: string;
}
