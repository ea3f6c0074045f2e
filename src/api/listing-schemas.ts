import { z } from 'zod';
import { channelStates, channels } from '../shared/channels';
import { identifier } from '../shared/schema-primitives';

/** The query parameters and answers of the three listings, validated at the edge and named in the OpenAPI document. */

const limit = z.coerce.number().int().min(1).max(100).default(50).describe('Items per page (1–100)');
const cursor = z.string().min(1).max(1024).optional().describe('nextCursor of the previous page, as it came');
const instant = z.iso.datetime({ offset: true });
const nextCursor = z.string().nullable().describe('Pass as cursor for the next page; null on the last page');

export const messageListQuery = z.strictObject({
  state: z.enum(channelStates).optional().describe("A channel's state as recorded"),
  channel: z.enum(channels).optional(),
  since: instant.optional().describe('Accepted at or after'),
  until: instant.optional().describe('Accepted before'),
  limit,
  cursor,
});
export type MessageListQuery = z.infer<typeof messageListQuery>;

/** One message on one channel: a message sent on two channels is two items, next to each other. */
export const messageListItem = z.object({
  messageId: identifier,
  workflowId: z.string(),
  channel: z.enum(channels),
  state: z.enum(channelStates),
  acceptedAt: instant,
  updatedAt: instant,
  notBefore: instant.optional(),
  attempts: z.number().int(),
  providerMessageId: z.string().optional(),
  lastError: z.string().optional(),
  statusUrl: z.string(),
});

export const messageListResponse = z.object({ items: z.array(messageListItem), nextCursor });

export const clientListQuery = z.strictObject({ limit, cursor });

export const clientListItem = z.object({
  clientId: identifier,
  name: z.string(),
  revision: z.number().int(),
  createdAt: instant,
  updatedAt: instant,
});

export const clientListResponse = z.object({ items: z.array(clientListItem), nextCursor });

export const apiKeyListItem = z.object({
  keyId: z.string(),
  createdAt: instant,
  lastUsedAt: instant.optional().describe('To the minute; absent if never used'),
  revokedAt: instant.optional(),
});

export const apiKeyListResponse = z.object({ items: z.array(apiKeyListItem) });
