import type { Recipient } from './message';

/**
 * What the planner needs of a recipient to locate it (issue 18), and nothing else: the plan's input names no
 * address it does not use. Imported by workflow code, so it imports nothing that does I/O.
 */
export function locationFacts({ phone, country, region }: Recipient): {
  phone?: string;
  country?: string;
  region?: string;
} {
  return { ...(phone ? { phone } : {}), ...(country ? { country } : {}), ...(region ? { region } : {}) };
}
