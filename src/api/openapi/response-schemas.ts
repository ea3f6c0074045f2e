import { z } from 'zod';
import type { Ack } from '../../acks/ack';
import type { Acceptance } from '../../messages/acceptance-plan';
import { channels, channelStates, isFinal, type ChannelState } from '../../shared/channels';
import type { MessageStatus } from '../../shared/message';
import { profileSchema } from '../../shared/profile-schema';
import { identifier } from '../../shared/schema-primitives';

/*
 * Response bodies as the code builds them (src/shared/message.ts, src/messages/*, src/acks/ack.ts). Nothing
 * validates a response at run time; `satisfies` ties each schema to the type the code really returns, and
 * test/api/openapi.test.ts checks real answers against the document.
 */

const channel = z.enum(channels);
const instant = z.iso.datetime({ offset: true });
const statusUrl = z.string().meta({ description: 'Where GET answers the status of this message.' });

const acceptedChannel = z
  .strictObject({
    channel,
    state: z.enum(['scheduled', 'expired', 'rejected']),
    notBefore: instant.optional().meta({ description: 'The earliest the channel may go out (its window).' }),
    reason: z.string().optional().meta({ description: 'Why the channel was rejected or has expired.' }),
  })
  .meta({ id: 'AcceptedChannel' });

export const acceptanceSchema = z
  .strictObject({
    messageId: identifier,
    workflowId: z.string(),
    clientId: identifier,
    channels: z.array(acceptedChannel),
    statusUrl,
  })
  .meta({
    id: 'Acceptance',
    description: 'SPEC §2: what was accepted. A repeat of the same messageId with the same body gets the same answer.',
  }) satisfies z.ZodType<Acceptance & { statusUrl: string }>;

const windowDetail = z
  .strictObject({
    zone: z.string(),
    clock: z.enum(['client', 'recipient', 'client (recipient has no timezone)']),
    rule: z.string().optional(),
    blackouts: z.array(z.strictObject({ from: z.string(), to: z.string(), name: z.string().optional() })).optional(),
    layer: z.string().optional().meta({ description: 'The layer that decided: a category or a regulation preset.' }),
    recipient: z.string().optional().meta({ description: "The recipient's location as taken, the number masked." }),
    explanation: z.string(),
  })
  .meta({ id: 'WindowDetail', description: 'Why a channel may go now or must wait.' });

const channelState = z.enum(channelStates);

const channelStatus = z
  .strictObject({
    channel,
    state: channelState,
    notBefore: instant.optional(),
    window: windowDetail.optional(),
    attempts: z.int().min(0),
    providerMessageId: z.string().optional(),
    lastError: z.string().optional(),
    updatedAt: instant,
    history: z.array(z.strictObject({ state: channelState, at: instant, note: z.string().optional() })),
  })
  .meta({ id: 'ChannelStatus' });

export const messageStatusSchema = z
  .strictObject({
    clientId: identifier,
    messageId: identifier,
    workflowId: z.string(),
    state: z.enum([...channelStates, 'partial']).meta({
      description: 'The earliest unfinished state while a channel is in progress; `partial` when some went out.',
    }),
    acceptedAt: instant,
    channels: z.array(channelStatus),
    statusUrl,
  })
  .meta({ id: 'MessageStatus' }) satisfies z.ZodType<MessageStatus & { statusUrl: string }>;

const { webhook } = profileSchema.shape;

/** The profile as it was saved (defaults filled in), its webhook secret write-only. */
export const profileViewSchema = z
  .strictObject({
    ...profileSchema.shape,
    clientId: identifier,
    webhook: webhook
      .unwrap()
      .extend({ secret: z.literal('[redacted]').meta({ description: 'Write-only: never returned.' }) })
      .optional(),
  })
  .meta({ id: 'ClientProfileView' });

export const savedProfileSchema = profileViewSchema
  .extend({ revision: z.int().min(1).meta({ description: 'Counts the saves of this profile, from 1.' }) })
  .meta({ id: 'SavedClientProfile' });

export const issuedKeySchema = z
  .strictObject({
    keyId: z.string().meta({ description: 'Names the key in DELETE …/keys/{keyId}.' }),
    apiKey: z.string().meta({ description: '`csk_<keyId>_<secret>`: shown this once, stored only as a hash.' }),
  })
  .meta({ id: 'IssuedApiKey' });

const checkResult = z.strictObject({ status: z.enum(['ok', 'down']), error: z.string().optional() });
const checks = z.record(z.string(), checkResult).meta({ description: 'One entry per dependency checked.' });

export const livenessSchema = z
  .strictObject({ status: z.enum(['ok', 'failed']), checks: checks.optional() })
  .meta({ id: 'Liveness' });
export const readinessSchema = z
  .strictObject({ status: z.enum(['ready', 'not_ready']), checks })
  .meta({ id: 'Readiness' });

const finalStates = channelStates.filter(isFinal) as [ChannelState, ...ChannelState[]];

/** SPEC §4: the body of our outgoing webhook, one POST per channel that reached a final state. */
export const ackSchema = z
  .strictObject({
    clientId: identifier,
    messageId: identifier,
    workflowId: z.string(),
    channel,
    state: z.enum(finalStates),
    providerMessageId: z.string().optional(),
    time: instant.meta({ description: 'When the channel reached this state.' }),
    error: z.string().optional(),
    metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    source: z
      .strictObject({ topic: z.string(), partition: z.int(), offset: z.string() })
      .optional()
      .meta({ description: 'Present for messages that came from Kafka: where the record was read.' }),
  })
  .meta({ id: 'Ack' }) satisfies z.ZodType<Ack>;
