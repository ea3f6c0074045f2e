import { Duration } from 'luxon';
import { z } from 'zod';
import { ianaZone, identifier, maxWait } from './schema-primitives';
import { isKnownCalendar } from '../holidays/holiday-calendar';
import { isKnownPreset } from '../regulations/presets';
import { weekdays } from '../calendar/weekdays';

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (00:00 to 23:59)');
// Blackouts are holidays and campaigns: anything past this century is a typo, not a plan.
const calendarDate = z.iso
  .date('must be a date YYYY-MM-DD')
  .refine((date) => date < '2100-01-01', 'must be before 2100');
const isoDuration = z
  .string()
  .refine((value) => Duration.fromISO(value).isValid, 'must be an ISO-8601 duration such as PT48H');

// How long a message may be deferred, or a cap may count back: no longer than a message may wait at all.
const withinAYear = isoDuration.refine((value) => Duration.fromISO(value) <= maxWait, 'must be at most a year (P366D)');

const weeklyRule = z.strictObject({ days: z.array(z.enum(weekdays)).min(1), from: clockTime, to: clockTime });

const dateBlackout = z
  .strictObject({ from: calendarDate, to: calendarDate })
  .refine((range) => range.from < range.to, 'from must be before to (to is exclusive)');

/** A holiday calendar's public holidays, whole local days (issue 18); `recipient`: the recipient's own country. */
const calendarBlackout = z.strictObject({
  calendar: z
    .string()
    .refine(
      (code) => code === 'recipient' || isKnownCalendar(code),
      'must be "recipient" or a holiday calendar code such as US, US-AL or FR (see docs/holiday-calendars.md)',
    ),
});

const windowSchema = z.strictObject({
  // Absent: any hour of any day, so a window may hold only presets or blackouts.
  rules: z.array(weeklyRule).min(1).optional(),
  presets: z
    .array(z.string().refine(isKnownPreset, 'is not a known preset (see docs/regulations.md)'))
    .min(1)
    .optional(),
  blackouts: z.array(z.union([dateBlackout, calendarBlackout])).default([]),
  outside: z.enum(['defer', 'reject']).default('defer'),
  maxDefer: withinAYear.optional(),
});

export type ChannelWindow = z.infer<typeof windowSchema>;

/** A message category: `transactional` (the default) or a client's own name such as `marketing`. */
export const categoryName = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,63}$/, 'must be lower-case letters, digits, _ or -, starting with a letter (≤ 64)');

/**
 * Per-category settings that add to the channel's own: a message of that category goes only when the channel's
 * window and the category's are both open (issue 18).
 */
const categorySettings = z.strictObject({
  window: windowSchema.optional(),
  caps: z
    .array(
      z.strictObject({
        max: z.number().int().min(1, 'must be at least 1'),
        per: withinAYear,
        // `category`: this category's sends to the recipient on this channel; `channel`: all categories' sends.
        scope: z.enum(['category', 'channel']).default('category'),
      }),
    )
    .min(1)
    .optional(),
});

export type CategorySettings = z.infer<typeof categorySettings>;

const channelBase = {
  enabled: z.boolean(),
  window: windowSchema.optional(),
  categories: z.record(categoryName, categorySettings).optional(),
};

/** SPEC §3. `from` addresses are required only where the channel is enabled (checked below). */
export const profileSchema = z
  .strictObject({
    clientId: identifier.optional(),
    name: z.string().min(1).max(200),
    timezone: ianaZone,
    windowClock: z.enum(['client', 'recipient']).default('client'),
    allowUrgentBypass: z.boolean().default(false),
    channels: z.strictObject({
      sms: z.strictObject({ ...channelBase, from: z.string().min(1).max(64).optional() }).optional(),
      email: z
        .strictObject({
          ...channelBase,
          from: z.email('must be an email address').optional(),
          messageStream: z.string().min(1).max(64).default('outbound'),
        })
        .optional(),
      push: z.strictObject({ ...channelBase }).optional(),
    }),
    webhook: z.strictObject({ url: z.url({ protocol: /^https?$/ }), secret: z.string().min(16).max(256) }).optional(),
  })
  .superRefine((profile, ctx) => {
    for (const channel of ['sms', 'email'] as const) {
      const settings = profile.channels[channel];
      if (settings?.enabled === true && settings.from === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['channels', channel, 'from'],
          message: 'is required when the channel is enabled',
        });
      }
    }
  });

export type ClientProfile = z.infer<typeof profileSchema> & { clientId: string };
