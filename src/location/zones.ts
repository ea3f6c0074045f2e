import { IANAZone } from 'luxon';

/**
 * The widest spread of UTC offsets, at one instant, for which a zone set still counts as a location. A window must
 * hold in every candidate zone, so a spread of S hours shrinks an 08:00–21:00 window to 13 − S hours: at 4 h the
 * common part is still 9 h, as long as a 09:00–18:00 business day; beyond it (Russia's 10 h, a 23-zone Canada's
 * 4 h 30) the intersection says more about the spread than about the recipient, so the zones count as unknown.
 */
export const maxOffsetSpreadMinutes = 4 * 60;

/** Mid-January and mid-July of the current year: standard and daylight time in both hemispheres. */
const sampleInstants = (now: number) => {
  const year = new Date(now).getUTCFullYear();
  return [Date.UTC(year, 0, 15), Date.UTC(year, 6, 15)];
};

const spreads = new Map<string, number>();

/**
 * The widest spread of UTC offsets between the zones at one of the sample instants, in minutes. Memoised per zone
 * set and year: an offset costs a formatToParts call, and there are only a few hundred distinct sets (countries,
 * area codes, regions).
 */
export function offsetSpreadMinutes(zones: readonly string[], now = Date.now()): number {
  const instants = sampleInstants(now);
  const key = `${instants[0]}|${zones.join(' ')}`;
  let spread = spreads.get(key);
  if (spread === undefined) {
    const atEach = instants.map((instant) => {
      const offsets = zones.map((zone) => IANAZone.create(zone).offset(instant));
      return Math.max(...offsets) - Math.min(...offsets);
    });
    spread = Math.max(0, ...atEach);
    spreads.set(key, spread);
  }
  return spread;
}

const knownZones = new Set<string>();

/** luxon's isValidZone builds an Intl.DateTimeFormat on every call (≈ 50 µs): the valid answers are kept. */
export function isZone(zone: string): boolean {
  if (knownZones.has(zone)) return true;
  const valid = IANAZone.isValidZone(zone);
  if (valid) knownZones.add(zone); // only valid ones: the set stays as small as the IANA list
  return valid;
}

/** Intl.Locale's zone list (Intl Locale Info), a getter on Node 22's V8 and a method from Node 24's. */
interface LocaleZones {
  getTimeZones?: () => string[] | undefined;
  timeZones?: string[];
}

const byCountry = new Map<string, string[]>();

/**
 * A country's zones from the ICU data Node ships (CLDR's zones per region): FR → Europe/Paris, AU → twelve zones.
 * Not countries-and-timezones: its lists follow tzdata's zone1970.tab, which files a zone under every country whose
 * clocks have matched it since 1970, so AU there includes Asia/Tokyo and CA includes America/Panama.
 */
export function countryZones(country: string): string[] {
  let zones = byCountry.get(country);
  if (!zones) {
    const locale = new Intl.Locale(`und-${country}`) as Intl.Locale & LocaleZones;
    zones = (locale.getTimeZones?.() ?? locale.timeZones ?? []).filter(isZone);
    byCountry.set(country, zones);
  }
  return zones;
}

const hours = (minutes: number) => `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60}` : ''}`;

/** "America/New_York, America/Chicago"; a long list (Australia's twelve) names its first three. */
export const listZones = (zones: readonly string[]) =>
  zones.length <= 3 ? zones.join(', ') : `${zones.slice(0, 3).join(', ')} and ${zones.length - 3} more`;

/**
 * The candidate zones of `what` ("area code 850", "country AU"), or why they do not locate anyone: none at all, or
 * offsets spread wider than maxOffsetSpreadMinutes.
 */
export function usableZones(
  zones: readonly string[],
  what: string,
  now = Date.now(),
): { list: string[]; how: string } | { unknown: string } {
  if (zones.length === 0) return { unknown: `${what} has no time zone we know` };
  const spread = offsetSpreadMinutes(zones, now);
  if (spread > maxOffsetSpreadMinutes) return { unknown: `${what} spans ${hours(spread)} of UTC offsets` };
  return { list: [...zones], how: `${what} → ${listZones(zones)}` };
}
