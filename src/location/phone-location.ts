import { parsePhoneNumberFromString, type NumberType, type PhoneNumber } from 'libphonenumber-js/max';
import { LRUCache } from 'lru-cache';
import { nanpAreaCode } from './nanp-table';
import { countryZones, usableZones } from './zones';

/** What a phone number alone says about where its owner is. */
export interface PhoneLocation {
  /** "+1 312…", "+33 61…": enough to explain a decision, never the whole number. */
  masked: string;
  /** ISO 3166-1 alpha-2, when the number is valid and its country is its own (not a toll-free range NANP shares). */
  country?: string;
  /** ISO 3166-2, from a North American area code. */
  regions: string[];
  /** The candidate zones, or why there are none ("toll-free +1 800…"). */
  zones: { list: string[]; how: string } | { unknown: string };
}

/**
 * Types that say nothing about where the owner is: the number reaches them wherever they are. libphonenumber-js
 * tells them apart only with its /max metadata. SHARED_COST is as non-geographic as TOLL_FREE (only its tariff differs).
 */
const nonGeographic: Partial<Record<NumberType & string, string>> = {
  TOLL_FREE: 'toll-free',
  PREMIUM_RATE: 'premium-rate',
  SHARED_COST: 'shared-cost',
  PERSONAL_NUMBER: 'personal number',
  VOIP: 'VoIP',
  UAN: 'universal access number',
};

/**
 * The calling code and the area code for North America ("+1 312…"), the calling code and two more digits elsewhere
 * ("+33 61…"), three characters when the number does not parse. Not logging's maskPhone ("+97250****567"): its last
 * three digits have no place in an explanation a client's users may read, and its cut ignores the calling code's length.
 */
function mask(phone: string, parsed: PhoneNumber | undefined): string {
  if (!parsed) return `${phone.slice(0, 3)}…`;
  const kept = parsed.countryCallingCode === '1' ? 3 : 2;
  return `+${parsed.countryCallingCode} ${parsed.nationalNumber.slice(0, kept)}…`;
}

/** "+7 91…: country RU spans 10 h of UTC offsets": the reason names the number it is about. */
const naming = (zones: PhoneLocation['zones'], masked: string): PhoneLocation['zones'] =>
  'unknown' in zones ? { unknown: `${masked}: ${zones.unknown}` } : zones;

function locatePhone(phone: string): PhoneLocation {
  const parsed = parsePhoneNumberFromString(phone);
  const masked = mask(phone, parsed);
  // An invalid number's country is a guess from its first digits (+44 7700 900… could be GB, GG, IM or JE): unused.
  if (!parsed?.isValid()) return { masked, regions: [], zones: { unknown: `invalid number ${masked}` } };

  const type = parsed.getType();
  const label = type === undefined ? undefined : nonGeographic[type];
  if (parsed.countryCallingCode === '1') {
    const npa = parsed.nationalNumber.slice(0, 3);
    const entry = nanpAreaCode(npa);
    if (label || !entry) {
      // 800, 900, 5XX … serve all of North America: no country either. Absent from the table means the same.
      const why = label ? `${label} ${masked}` : `area code ${npa} of ${masked} has no known location`;
      return { masked, ...(entry && { country: entry.country }), regions: [], zones: { unknown: why } };
    }
    return {
      masked,
      country: entry.country,
      regions: [...entry.regions],
      zones: naming(usableZones(entry.zones, `area code ${npa}`), masked),
    };
  }

  const country = parsed.country;
  if (!country) return { masked, regions: [], zones: { unknown: `no country for ${masked}` } };
  // A French VoIP number is still French (the country's presets and calendars apply), but not a place.
  if (label) return { masked, country, regions: [], zones: { unknown: `${label} ${masked}` } };
  return {
    masked,
    country,
    regions: [],
    zones: naming(usableZones(countryZones(country), `country ${country}`), masked),
  };
}

// Parsing costs ≈ 17 µs with the /max metadata; a planner re-plans the same recipient many times. Entries are
// frozen: callers copy what they return.
const byNumber = new LRUCache<string, Readonly<PhoneLocation>>({ max: 10_000 });

export function phoneLocation(phone: string): Readonly<PhoneLocation> {
  let location = byNumber.get(phone);
  if (!location) {
    location = Object.freeze(locatePhone(phone));
    byNumber.set(phone, location);
  }
  return location;
}
