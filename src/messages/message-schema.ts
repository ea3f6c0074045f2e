import { z } from 'zod';
import { channels } from '../shared/channels';
import { categoryName } from '../shared/profile-schema';
import { ianaZone, identifier, maxWait } from '../shared/schema-primitives';

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number such as +972501234567');
// FCM registration tokens are long URL-safe strings with a colon between their two parts.
const pushToken = z
  .string()
  .min(20)
  .max(4096)
  .regex(/^[A-Za-z0-9_:.-]+$/, 'is not an FCM registration token');

const recipient = z
  .strictObject({
    phone: e164.optional(),
    email: z.email('must be an email address').max(254).optional(),
    pushTokens: z.array(pushToken).min(1).max(100).optional(),
    timezone: ianaZone.optional(),
    // The recipient's location, where the client knows it better than the phone number's area code does.
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code such as US')
      .optional(),
    region: z
      .string()
      .regex(/^[A-Z]{2}-[A-Z0-9]{1,3}$/, 'must be an ISO 3166-2 region code such as US-FL')
      .optional(),
  })
  .refine(({ country, region }) => !country || !region || region.startsWith(`${country}-`), {
    path: ['region'],
    message: 'must be a region of the given country',
  });

const content = z.strictObject({
  sms: z.strictObject({ body: z.string().min(1).max(1600) }).optional(),
  email: z
    .strictObject({
      subject: z.string().min(1).max(998),
      text: z.string().min(1).max(100_000).optional(),
      html: z.string().min(1).max(100_000).optional(),
    })
    .refine((email) => email.text !== undefined || email.html !== undefined, 'needs text, html or both')
    .optional(),
  push: z
    .strictObject({
      title: z.string().min(1).max(256).optional(),
      body: z.string().min(1).max(4096).optional(),
      data: z.record(z.string().max(256), z.string().max(4096)).optional(),
    })
    .refine((push) => Object.keys(push).length > 0, 'needs a title, a body or data')
    .optional(),
});

const metadataValue = z.union([z.string().max(1024), z.number(), z.boolean()]);

/** SPEC §2: the REST body and the Kafka record value. Unknown fields are refused so that typos surface at once. */
export const messageSchema = z.strictObject({
  clientId: identifier.optional(),
  messageId: identifier.optional(),
  channels: z
    .array(z.enum(channels))
    .min(1)
    .refine((list) => new Set(list).size === list.length, 'must not repeat a channel')
    .optional(),
  recipient,
  content,
  priority: z.enum(['normal', 'urgent']).default('normal'),
  // No default: a message without it hashes as before, so its repeats are still recognised; absent means
  // `transactional`.
  category: categoryName.optional(),
  expiresAt: z.iso
    .datetime({ offset: true })
    // A message that may wait longer than a year is a mistake (or year 9999), not a plan.
    .refine((at) => Date.parse(at) <= Date.now() + maxWait.toMillis(), 'must be within a year from now')
    .optional(),
  metadata: z
    .record(z.string().max(128), metadataValue)
    .refine((record) => Object.keys(record).length <= 50, 'may have at most 50 keys')
    .optional(),
});

export type MessageRequest = z.infer<typeof messageSchema>;

/** Zod's issues in the `details` shape of SPEC §7. */
export const issueDetails = (error: z.ZodError) =>
  error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', issue: issue.message }));
