import Holidays from 'date-holidays';

let known: ReadonlySet<string> | undefined;

/**
 * Every country and country-region code the library has data for, spelled as it spells them ('US', 'US-AL', 'FR-57').
 * Built from its lists because `init('ZZ')` answers true for a code it does not know.
 */
export function knownCalendarCodes(): ReadonlySet<string> {
  if (known === undefined) {
    const library = new Holidays();
    const codes = new Set<string>();
    for (const country of Object.keys(library.getCountries())) {
      codes.add(country);
      // getStates answers undefined, not {}, for a country without regions.
      for (const state of Object.keys(library.getStates(country) ?? {})) codes.add(`${country}-${state}`);
    }
    known = codes;
  }
  return known;
}
