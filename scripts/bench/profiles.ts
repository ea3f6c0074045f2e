import { profileSchema, type ClientProfile } from '../../src/shared/profile-schema';
import { emailBatch } from '../load/batches';

const everyDay = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/** A UTC window that opens at `opensAt` (a whole minute) every day and stays open `openMs` (under a day). */
export const utcWindow = (opensAt: number, openMs: number) => ({
  rules: [{ days: [...everyDay], from: hhmm(opensAt), to: hhmm(opensAt + openMs) }],
  outside: 'defer' as const,
});

/** The first whole minute at least `leadMs` from now. */
export const nextWholeMinute = (leadMs: number) => Math.ceil((Date.now() + leadMs) / 60_000) * 60_000;

export const benchChannels = {
  email: { enabled: true, from: 'bench@bench.example' },
  sms: { enabled: true, from: '+15550001111' },
};

/** A profile as the admin API would store it (defaults applied, validated). */
export const benchProfile = (clientId: string, body: Record<string, unknown>): ClientProfile => ({
  ...profileSchema.parse({ name: `Benchmark ${clientId}`, timezone: 'UTC', ...body }),
  clientId,
});

/** N emails the sandbox can count one by one, under the given prefix. */
export const benchEmails = (prefix: string, count: number) => emailBatch(prefix, count, 'bench.example').messages;
