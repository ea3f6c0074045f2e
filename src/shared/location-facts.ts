import type { Recipient } from './message';

/** The recipient fields that say where it is (issue 18). */
export type LocationFacts = Pick<Recipient, 'phone' | 'country' | 'region'>;

/**
 * What the planner needs of a recipient to locate it (issue 18), and nothing else: the plan's input names no
 * address it does not use. Imported by workflow code, so it imports nothing that does I/O.
 */
export function locationFacts({ phone, country, region }: Recipient): LocationFacts {
  return { ...(phone ? { phone } : {}), ...(country ? { country } : {}), ...(region ? { region } : {}) };
}
