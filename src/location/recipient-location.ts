import { nanpRegionZones } from './nanp-table';
import { phoneLocation, type PhoneLocation } from './phone-location';
import { countryZones, isZone, usableZones } from './zones';

export interface RecipientFacts {
  phone?: string;
  timezone?: string;
  country?: string;
  region?: string;
}

export interface RecipientLocation {
  /** IANA zones in which a window must hold (every one); never empty. */
  zones: string[];
  /** ISO 3166-1 alpha-2, when known. */
  country?: string;
  /** ISO 3166-2 such as 'US-FL'; several when an area code spans regions; empty when unknown. */
  regions: string[];
  /** Where the zones came from. */
  source: 'explicit' | 'phone' | 'fallback';
  /** For explanations, never a full number: e.g. "recipient +1 312…, area code 312 → America/Chicago",
   *  "recipient timezone Europe/Paris", "recipient location unknown (toll-free +1 800…); client zone Europe/London". */
  description: string;
}

const countryCode = /^[A-Z]{2}$/;
const regionCode = /^[A-Z]{2}-[A-Z0-9]{1,3}$/;

/** The API validates these fields; a malformed one here is a caller's bug, not a recipient's location. */
function checkFacts(recipient: RecipientFacts, fallbackZone: string) {
  const fail = (what: string) => {
    throw new RangeError(`locateRecipient: ${what}`);
  };
  if (!isZone(fallbackZone)) fail(`fallback zone ${fallbackZone} is not an IANA zone`);
  const { timezone, country, region } = recipient;
  if (timezone !== undefined && !isZone(timezone)) fail(`timezone ${timezone} is not an IANA zone`);
  if (country !== undefined && !countryCode.test(country)) fail(`country ${country} is not ISO 3166-1 alpha-2`);
  if (region !== undefined && !regionCode.test(region)) fail(`region ${region} is not ISO 3166-2`);
  if (country !== undefined && region !== undefined && !region.startsWith(`${country}-`))
    fail(`region ${region} is not in country ${country}`);
}

/**
 * The number speaks for the location only where it agrees with what the recipient said: the same country and, when
 * a region is given, that one region. A US number's area code says nothing about a recipient who says they live in
 * France, or in California.
 */
const agrees = (phone: PhoneLocation, country: string | undefined, region: string | undefined) =>
  (country === undefined || phone.country === country) &&
  (region === undefined || (phone.regions.length === 1 && phone.regions[0] === region));

/**
 * Where a recipient is, for the rules that apply where they are. Explicit facts win field by field; the phone
 * number fills the rest (see docs/recipient-location.md). When no zone is known, the client's zone stands in and
 * the description says why.
 */
export function locateRecipient(recipient: RecipientFacts, fallbackZone: string): RecipientLocation {
  checkFacts(recipient, fallbackZone);
  const phone = recipient.phone === undefined ? undefined : phoneLocation(recipient.phone);
  const country = recipient.country ?? recipient.region?.slice(0, 2) ?? phone?.country;
  const phoneAgrees = phone !== undefined && agrees(phone, country, recipient.region);
  const regions = recipient.region ? [recipient.region] : phoneAgrees ? [...phone.regions] : [];
  const known = { ...(country && { country }), regions };

  if (recipient.timezone) {
    const { timezone } = recipient;
    return { zones: [timezone], ...known, source: 'explicit', description: `recipient timezone ${timezone}` };
  }
  if (phoneAgrees && 'list' in phone.zones) {
    const { list, how } = phone.zones;
    return { zones: [...list], ...known, source: 'phone', description: `recipient ${phone.masked}, ${how}` };
  }

  let unknown = phone && 'unknown' in phone.zones ? phone.zones.unknown : 'no timezone, phone, country or region';
  const { region } = recipient;
  if (region || recipient.country) {
    // A North American region's zones come from the area codes that serve it; any other region's, from its country.
    const regionZones = region ? nanpRegionZones(region) : undefined;
    const zones = regionZones
      ? usableZones(regionZones, `region ${region}`)
      : usableZones(countryZones(country!), `country ${country}`);
    if ('list' in zones) {
      return { zones: zones.list, ...known, source: 'explicit', description: `recipient ${zones.how}` };
    }
    unknown = zones.unknown;
  }
  return {
    zones: [fallbackZone],
    ...known,
    source: 'fallback',
    description: `recipient location unknown (${unknown}); client zone ${fallbackZone}`,
  };
}
