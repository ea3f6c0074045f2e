import { Duration, IANAZone } from 'luxon';
import { z } from 'zod';

/** Identifiers end up in workflow IDs and search attributes: a conservative alphabet keeps them safe in both. */
export const identifier = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._~-]+$/, 'may contain only letters, digits and . _ ~ -');

/** The longest a message may be meant to wait: bounds expiresAt, maxDefer and blackouts alike. */
export const maxWait = Duration.fromObject({ days: 366 });

export const ianaZone = z.string().refine((zone) => IANAZone.isValidZone(zone), 'is not a known IANA time zone');
