import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { RecipientFacts, RecipientLocation } from '../../src/location/recipient-location';
import { locateRecipient } from '../../src/location/recipient-location';
import { countryZones, offsetSpreadMinutes, usableZones } from '../../src/location/zones';

const clientZone = 'Europe/London';
const australia = [
  'Antarctica/Macquarie',
  'Australia/Adelaide',
  'Australia/Brisbane',
  'Australia/Broken_Hill',
  'Australia/Darwin',
  'Australia/Eucla',
  'Australia/Hobart',
  'Australia/Lindeman',
  'Australia/Lord_Howe',
  'Australia/Melbourne',
  'Australia/Perth',
  'Australia/Sydney',
];

// NANP numbers are 555-01xx, fictional lines that libphonenumber-js still counts valid in geographic area codes.
const cases: [string, RecipientFacts, RecipientLocation][] = [
  [
    'a Hawaii number (808) is in Honolulu',
    { phone: '+18085550100' },
    {
      zones: ['Pacific/Honolulu'],
      country: 'US',
      regions: ['US-HI'],
      source: 'phone',
      description: 'recipient +1 808…, area code 808 → Pacific/Honolulu',
    },
  ],
  [
    "an area code spanning two zones (850, Florida's Panhandle) gives both",
    { phone: '+18505550123' },
    {
      zones: ['America/New_York', 'America/Chicago'],
      country: 'US',
      regions: ['US-FL'],
      source: 'phone',
      description: 'recipient +1 850…, area code 850 → America/New_York, America/Chicago',
    },
  ],
  [
    'an area code serving two provinces (902) gives both regions',
    { phone: '+19025550100' },
    {
      zones: ['America/Halifax'],
      country: 'CA',
      regions: ['CA-NS', 'CA-PE'],
      source: 'phone',
      description: 'recipient +1 902…, area code 902 → America/Halifax',
    },
  ],
  [
    'a Jamaican number (876) is in Jamaica, with no region',
    { phone: '+18765550100' },
    {
      zones: ['America/Jamaica'],
      country: 'JM',
      regions: [],
      source: 'phone',
      description: 'recipient +1 876…, area code 876 → America/Jamaica',
    },
  ],
  [
    "an explicit timezone overrides the number's zone; the number still gives country and region",
    { phone: '+13125550100', timezone: 'Europe/Paris' },
    {
      zones: ['Europe/Paris'],
      country: 'US',
      regions: ['US-IL'],
      source: 'explicit',
      description: 'recipient timezone Europe/Paris',
    },
  ],
  [
    "an explicit region overrides the area code's, and its zones come with it",
    { phone: '+13125550100', region: 'US-CA' },
    {
      zones: ['America/Los_Angeles'],
      country: 'US',
      regions: ['US-CA'],
      source: 'explicit',
      description: 'recipient region US-CA → America/Los_Angeles',
    },
  ],
  [
    "an explicit region the area code agrees with keeps the area code's narrower zones (305 → Eastern only)",
    { phone: '+13055550100', region: 'US-FL' },
    {
      zones: ['America/New_York'],
      country: 'US',
      regions: ['US-FL'],
      source: 'phone',
      description: 'recipient +1 305…, area code 305 → America/New_York',
    },
  ],
  [
    'an explicit region alone gives the zones of the area codes serving it (Florida: both)',
    { region: 'US-FL' },
    {
      zones: ['America/Chicago', 'America/New_York'],
      country: 'US',
      regions: ['US-FL'],
      source: 'explicit',
      description: 'recipient region US-FL → America/Chicago, America/New_York',
    },
  ],
  [
    "a region outside North America takes its country's zones",
    { region: 'FR-75' },
    {
      zones: ['Europe/Paris'],
      country: 'FR',
      regions: ['FR-75'],
      source: 'explicit',
      description: 'recipient country FR → Europe/Paris',
    },
  ],
  [
    'an explicit country other than the number’s sets the zones; the area code’s region is dropped',
    { phone: '+13125550100', country: 'FR' },
    {
      zones: ['Europe/Paris'],
      country: 'FR',
      regions: [],
      source: 'explicit',
      description: 'recipient country FR → Europe/Paris',
    },
  ],
  [
    'an explicit country equal to the number’s keeps the area code',
    { phone: '+13125550100', country: 'US' },
    {
      zones: ['America/Chicago'],
      country: 'US',
      regions: ['US-IL'],
      source: 'phone',
      description: 'recipient +1 312…, area code 312 → America/Chicago',
    },
  ],
  [
    'a toll-free number is nowhere: the client zone, and no country (800 serves all of North America)',
    { phone: '+18005550100' },
    {
      zones: [clientZone],
      regions: [],
      source: 'fallback',
      description: 'recipient location unknown (toll-free +1 800…); client zone Europe/London',
    },
  ],
  [
    'a premium-rate number is nowhere',
    { phone: '+19005550100' },
    {
      zones: [clientZone],
      regions: [],
      source: 'fallback',
      description: 'recipient location unknown (premium-rate +1 900…); client zone Europe/London',
    },
  ],
  [
    'a personal number (500) is nowhere',
    { phone: '+15005550100' },
    {
      zones: [clientZone],
      regions: [],
      source: 'fallback',
      description: 'recipient location unknown (personal number +1 500…); client zone Europe/London',
    },
  ],
  [
    'a toll-free number with an explicit timezone takes the timezone',
    { phone: '+18005550100', timezone: 'America/Denver' },
    {
      zones: ['America/Denver'],
      regions: [],
      source: 'explicit',
      description: 'recipient timezone America/Denver',
    },
  ],
  [
    'a French mobile (+33 6) is in Paris',
    { phone: '+33612345678' },
    {
      zones: ['Europe/Paris'],
      country: 'FR',
      regions: [],
      source: 'phone',
      description: 'recipient +33 61…, country FR → Europe/Paris',
    },
  ],
  [
    'a French VoIP number (+33 9) keeps its country but is no place',
    { phone: '+33912345678' },
    {
      zones: [clientZone],
      country: 'FR',
      regions: [],
      source: 'fallback',
      description: 'recipient location unknown (VoIP +33 91…); client zone Europe/London',
    },
  ],
  [
    'a British mobile (+44 7400) is in London',
    { phone: '+447400123456' },
    {
      zones: ['Europe/London'],
      country: 'GB',
      regions: [],
      source: 'phone',
      description: 'recipient +44 74…, country GB → Europe/London',
    },
  ],
  [
    'a Russian number keeps its country, but its zones span 10 h: the client zone',
    { phone: '+79123456789' },
    {
      zones: [clientZone],
      country: 'RU',
      regions: [],
      source: 'fallback',
      description:
        'recipient location unknown (+7 91…: country RU spans 10 h of UTC offsets); client zone Europe/London',
    },
  ],
  [
    'an Australian number gets all twelve zones: they span 3 h, under the 4 h limit',
    { phone: '+61412345678' },
    {
      zones: australia,
      country: 'AU',
      regions: [],
      source: 'phone',
      description:
        'recipient +61 41…, country AU → Antarctica/Macquarie, Australia/Adelaide, Australia/Brisbane and 9 more',
    },
  ],
  [
    'an explicit country whose zones span more than 4 h is kept, its zones are not (Canada: 4 h 30)',
    { country: 'CA' },
    {
      zones: [clientZone],
      country: 'CA',
      regions: [],
      source: 'fallback',
      description: 'recipient location unknown (country CA spans 4 h 30 of UTC offsets); client zone Europe/London',
    },
  ],
  [
    'an invalid number (exchange 055) is ignored, country included',
    { phone: '+13120550100' },
    {
      zones: [clientZone],
      regions: [],
      source: 'fallback',
      description: 'recipient location unknown (invalid number +1 312…); client zone Europe/London',
    },
  ],
  [
    'an invalid number does not stop an explicit country',
    { phone: '+13120550100', country: 'FR' },
    {
      zones: ['Europe/Paris'],
      country: 'FR',
      regions: [],
      source: 'explicit',
      description: 'recipient country FR → Europe/Paris',
    },
  ],
  [
    'a number with no known calling code is ignored',
    { phone: '+99912345' },
    {
      zones: [clientZone],
      regions: [],
      source: 'fallback',
      description: 'recipient location unknown (invalid number +99…); client zone Europe/London',
    },
  ],
  [
    'no phone and nothing explicit: the client zone',
    {},
    {
      zones: [clientZone],
      regions: [],
      source: 'fallback',
      description: 'recipient location unknown (no timezone, phone, country or region); client zone Europe/London',
    },
  ],
];

describe('locateRecipient', () => {
  for (const [situation, facts, expected] of cases) {
    it(situation, () => {
      // Twice: the second answer comes from the per-number memo and must be the same.
      assert.deepEqual(locateRecipient(facts, clientZone), expected);
      assert.deepEqual(locateRecipient(facts, clientZone), expected);
    });
  }

  it('never writes more of a number than its calling code and area code (or two digits)', () => {
    for (const [, facts] of cases) {
      if (!facts.phone) continue;
      const { description } = locateRecipient(facts, clientZone);
      const digits = description.replace(/\D/g, '');
      assert.ok(!digits.includes(facts.phone.slice(-4)), `${description} shows the end of ${facts.phone}`);
    }
  });

  it('hands out copies: changing one answer does not change the next', () => {
    const first = locateRecipient({ phone: '+18505550100' }, clientZone);
    first.zones.push('Asia/Tokyo');
    first.regions.push('US-AL');
    const second = locateRecipient({ phone: '+18505550100' }, clientZone);
    assert.deepEqual(second.zones, ['America/New_York', 'America/Chicago']);
    assert.deepEqual(second.regions, ['US-FL']);
  });

  const malformed: [string, RecipientFacts, string][] = [
    ['a timezone that is not IANA', { timezone: 'Mars/Olympus' }, 'timezone Mars/Olympus is not an IANA zone'],
    ['a country that is not alpha-2', { country: 'usa' }, 'country usa is not ISO 3166-1 alpha-2'],
    ['a region without its country', { region: 'FL' }, 'region FL is not ISO 3166-2'],
    ['a region of another country', { country: 'FR', region: 'US-FL' }, 'region US-FL is not in country FR'],
  ];
  for (const [what, facts, message] of malformed) {
    it(`refuses ${what}: the API validates it, so it is a caller's bug`, () => {
      assert.throws(() => locateRecipient(facts, clientZone), {
        name: 'RangeError',
        message: `locateRecipient: ${message}`,
      });
    });
  }

  it('refuses a fallback zone that is not IANA', () => {
    assert.throws(() => locateRecipient({}, 'Client/Zone'), RangeError);
  });

  it('imports nothing outside src/location but npm packages (not the window engine, not the workflows)', () => {
    const dir = path.join(__dirname, '..', '..', 'src', 'location');
    for (const file of fs.readdirSync(dir).filter((name) => name.endsWith('.ts'))) {
      const source = fs.readFileSync(path.join(dir, file), 'utf8');
      for (const [, target] of source.matchAll(/from '([^']+)'/g)) {
        assert.ok(!target!.startsWith('..'), `${file} imports ${target}`);
      }
    }
  });
});

describe('the zone-spread rule', () => {
  const january = Date.UTC(2026, 0, 20);
  const spread = (zones: string[]) => offsetSpreadMinutes(zones, january);

  it('measures the widest spread at one instant, daylight time included', () => {
    assert.equal(spread(['America/New_York', 'America/Chicago']), 60);
    // January: Perth +8, Sydney and Lord Howe +11; July: +8 and +10 (+10:30).
    assert.equal(spread(australia), 180);
    // July: St John's −2:30, Vancouver −7.
    assert.equal(spread(countryZones('CA')), 270);
  });

  it('keeps zones spread by 4 h exactly, drops them past it', () => {
    // Dubai is +4 all year, London +0 in January.
    assert.deepEqual(usableZones(['Europe/London', 'Asia/Dubai'], 'test', january), {
      list: ['Europe/London', 'Asia/Dubai'],
      how: 'test → Europe/London, Asia/Dubai',
    });
    assert.deepEqual(usableZones(['Europe/London', 'Asia/Kabul'], 'test', january), {
      unknown: 'test spans 4 h 30 of UTC offsets',
    });
    assert.deepEqual(usableZones([], 'country XK', january), { unknown: 'country XK has no time zone we know' });
  });

  it("takes a country's zones from the ICU data, not tzdata's zone1970 merges", () => {
    assert.deepEqual(countryZones('FR'), ['Europe/Paris']);
    assert.deepEqual(countryZones('AU'), australia);
    assert.ok(!countryZones('CA').includes('America/Panama'));
  });
});
