import { randomBytes } from 'node:crypto';
import { countableEmails } from '../stack/sandbox-server/client';

export type EmailMessage = ReturnType<typeof countableEmails>[number];

export interface EmailBatch {
  /** What every recipient's address starts with: the sandbox's tally and audit find the batch by it. */
  prefix: string;
  messages: EmailMessage[];
}

/** N emails to distinct recipients under `prefix`, so that the sandbox can count each one's deliveries. */
export const emailBatch = (prefix: string, count: number, domain: string): EmailBatch => ({
  prefix,
  messages: countableEmails(prefix, count, domain),
});

/** A prefix of this run's own: the sandbox keeps what earlier runs sent, and counts by prefix. */
export const runPrefix = (label: string) => `${label}-${randomBytes(3).toString('hex')}`;
