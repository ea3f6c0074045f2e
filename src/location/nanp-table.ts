import areaCodes from './nanp-area-codes.json';

/** One North American area code (NPA), as scripts/location/generate-nanp-table.ts derives it. */
export interface NanpEntry {
  /** ISO 3166-1 alpha-2: US, CA or one of the other NANP countries (JM, PR, …). */
  country: string;
  /** ISO 3166-2 codes, for US and CA only; several where one area code serves several (902: NS and PE). */
  regions: string[];
  /** The area code's default zone first, then the others some of its exchanges use. */
  zones: string[];
}

// Loaded once with the module (≈ 40 KB of JSON); nothing here reads a file at call time.
const table: Readonly<Record<string, NanpEntry>> = areaCodes;

export const nanpAreaCode = (npa: string): NanpEntry | undefined =>
  Object.hasOwn(table, npa) ? table[npa] : undefined;

/**
 * A region's zones are the union of the zones of the area codes serving it, those shared with another region
 * included (867 serves three territories): the safe reading when only the region is known.
 */
const zonesByRegion = new Map<string, string[]>();
for (const entry of Object.values(table)) {
  for (const region of entry.regions) {
    zonesByRegion.set(region, [...new Set([...(zonesByRegion.get(region) ?? []), ...entry.zones])].sort());
  }
}

export const nanpRegionZones = (region: string): string[] | undefined => zonesByRegion.get(region);
