import { DateTime } from 'luxon';
import { holidayBlackouts } from '../holidays/holiday-calendar';
import type { RecipientLocation } from '../location/recipient-location';
import { expandPreset } from '../regulations/presets';
import type { PlanCap } from '../shared/plan';
import type { CategorySettings, ChannelWindow } from '../shared/profile-schema';
import { weekdays } from '../calendar/weekdays';
import type { WindowLayer } from './layered-window';
import type { DatedBlackout, EngineWindow } from './window-engine';

/** A window with no rules of its own: open around the clock, every day, unless a blackout closes it. */
const allDay = [{ days: weekdays, from: '00:00', to: '00:00' }];

/** The holiday calendars a layer closes for; `recipient` stands for the recipient's regions, else its country. */
function calendarsOf(codes: readonly string[], location: RecipientLocation): string[] {
  return codes.flatMap((code) => {
    if (code !== 'recipient') return [code];
    if (location.regions.length > 0) return location.regions;
    return location.country ? [location.country] : [];
  });
}

/** Public holidays of the calendars over the planner's two-year horizon, named for the explanation. */
function holidays(calendars: readonly string[], now: number): DatedBlackout[] {
  const year = DateTime.fromMillis(now, { zone: 'utc' }).year;
  return [...new Set(calendars)].flatMap((code) =>
    holidayBlackouts(code, year - 1, year + 2).map((h) => ({ from: h.from, to: h.to, name: `${h.name} (${code})` })),
  );
}

export interface LayerContext {
  location: RecipientLocation;
  /** The zones the client's own windows are read in (its windowClock). */
  clientZones: readonly string[];
  now: number;
  /** Urgent with the client's bypass: the client's own layers are skipped, never a preset's. */
  bypassClientWindows: boolean;
}

export interface PlanLayers {
  layers: WindowLayer[];
  caps: PlanCap[];
  /** The recipient's location was needed: a preset, a recipient calendar, or the recipient's clock. */
  usesLocation: boolean;
  /** `recipient` calendars that could not be resolved: the location knew no country. */
  unknownRecipientCalendar: boolean;
}

/**
 * Every layer a message of one category on one channel must respect (issue 18): the channel's window and the
 * category's in the client's clock, and each preset those windows name in every zone the recipient may be in.
 */
export function planLayers(
  windows: { name?: string; window: ChannelWindow }[],
  category: { name: string; settings?: CategorySettings },
  context: LayerContext,
): PlanLayers {
  const { location, now } = context;
  const layers: WindowLayer[] = [];
  const caps: PlanCap[] = [];
  let usesLocation = false;
  let unknownRecipientCalendar = false;
  for (const { name, window } of windows) {
    const rejects = window.outside === 'reject';
    if (!context.bypassClientWindows) {
      const codes = window.blackouts.flatMap((b) => ('calendar' in b ? [b.calendar] : []));
      if (codes.includes('recipient')) {
        usesLocation = true;
        if (calendarsOf(['recipient'], location).length === 0) unknownRecipientCalendar = true;
      }
      const engine: EngineWindow = {
        rules: window.rules ?? allDay,
        blackouts: [
          ...window.blackouts.flatMap((b) => ('calendar' in b ? [] : [b])),
          ...holidays(calendarsOf(codes, location), now),
        ],
      };
      for (const zone of context.clientZones)
        layers.push({ ...(name ? { name } : {}), window: engine, zone, rejects, allDay: window.rules === undefined });
    }
    for (const id of window.presets ?? []) {
      usesLocation = true;
      for (const preset of expandPreset(id, location.regions)) {
        for (const cap of preset.caps ?? [])
          caps.push({ max: cap.max, per: cap.per, scope: 'category', source: `preset ${preset.id}` });
        // A preset that only composes others (us-telemarketing) is open around the clock: a layer of its own
        // would be evaluated at every step of the search and could never close.
        if (preset.rules === undefined && !preset.calendars?.length) continue;
        const engine: EngineWindow = {
          rules: preset.rules ?? allDay,
          blackouts: holidays(preset.calendars ?? [], now),
        };
        for (const zone of location.zones)
          layers.push({
            name: `preset ${preset.id}`,
            window: engine,
            zone,
            rejects,
            allDay: preset.rules === undefined,
          });
      }
    }
  }
  for (const cap of category.settings?.caps ?? [])
    caps.push({ max: cap.max, per: cap.per, scope: cap.scope, source: `category ${category.name}` });
  return { layers: dedupe(layers), caps: dedupeCaps(caps), usesLocation, unknownRecipientCalendar };
}

/** Keeps the first of the items sharing a key; items without a key are all kept. */
function uniqueBy<T>(items: readonly T[], key: (item: T) => string | undefined): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (k === undefined) return true;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// A preset named by both the channel's and the category's window, or reached twice through includes, is one layer.
const dedupe = (layers: WindowLayer[]) =>
  uniqueBy(layers, (l) => (l.name?.startsWith('preset ') ? `${l.name} ${l.zone}` : undefined));

const dedupeCaps = (caps: PlanCap[]) => uniqueBy(caps, (c) => `${c.max} ${c.per} ${c.scope} ${c.source}`);
