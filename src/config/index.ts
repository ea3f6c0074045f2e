import { Duration } from 'luxon';
import { z } from 'zod';
import { parseEncryptionKeys } from '../codec/encryption-codec';
import type { Channel } from '../shared/channels';

export class ConfigError extends Error {}

const csv = z.string().transform((value) =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean),
);

const httpUrl = z.url({ protocol: /^https?$/ });

/**
 * Every setting the processes read, with its environment name, default and meaning.
 * Parsed once at start; a bad value stops the process with one line per problem.
 */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('HTTP port of the Send/Admin API'),
  ADMIN_API_KEY: z.string().min(16, 'must be at least 16 characters').describe('Bearer token for /v1/admin'),
  MAX_REQUEST_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(256 * 1024)
    .describe('Largest accepted JSON body'),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(6000).describe('Send API requests per client key'),
  ACCEPTANCE_CACHE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(60_000)
    .default(1000)
    .describe("How long the API and the bridge keep a key's client and a profile for acceptance; 0: not at all"),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  TEMPORAL_ADDRESS: z.string().min(1).default('localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z
    .string()
    .min(1)
    .default('deliveries')
    .describe('Queue of the workflow and its bookkeeping activities'),
  TEMPORAL_API_KEY: z.string().min(1).optional().describe('Temporal Cloud API key; enables TLS'),
  TEMPORAL_TLS: z.stringbool().default(false),
  WORKFLOW_CACHE_SIZE: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .describe("Workflows a worker keeps in memory; unset: the SDK's default from the heap limit (≈2,300 at 4 GiB)"),

  KAFKA_BROKERS: csv
    .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port')).min(1))
    .default(['localhost:9092']),
  KAFKA_CLIENT_ID: z.string().min(1).default('communication-service'),
  KAFKA_ACK_TOPIC: z.string().min(1).default('channels.acks').describe('Where final channel states are published'),
  KAFKA_MESSAGES_TOPIC: z.string().min(1).default('channels.messages').describe('Bridge input: any channels'),
  KAFKA_SMS_TOPIC: z.string().min(1).default('channels.sms').describe('Bridge input: SMS implied'),
  KAFKA_EMAIL_TOPIC: z.string().min(1).default('channels.email').describe('Bridge input: email implied'),
  KAFKA_PUSH_TOPIC: z.string().min(1).default('channels.push').describe('Bridge input: push implied'),
  KAFKA_DLQ_TOPIC: z.string().min(1).default('channels.dlq').describe('Where the bridge writes records it cannot take'),
  KAFKA_GROUP_ID: z.string().min(1).default('communication-bridge').describe("The bridges' consumer group"),
  KAFKA_SSL: z.stringbool().default(false).describe('TLS to the brokers (system CAs)'),
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  BRIDGE_PORT: z.coerce.number().int().min(0).max(65535).default(3001).describe('Bridge health and /metrics'),
  BRIDGE_PARTITIONS_CONCURRENTLY: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(8)
    .describe('Partitions one bridge processes at once'),
  BRIDGE_RECORDS_IN_FLIGHT: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(16)
    .describe('Records of one partition started at once; offsets are committed only past a finished prefix'),

  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .default('mongodb://localhost:27017/communication'),

  POSTMARK_SERVER_TOKEN: z.string().min(1).describe('Postmark server token (X-Postmark-Server-Token)'),
  POSTMARK_API_URL: httpUrl.default('https://api.postmarkapp.com').describe('Base URL; the sandbox in local runs'),
  EMAIL_RATE_PER_SECOND: z.coerce.number().positive().default(50).describe('Postmark calls per second, all workers'),

  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'must be AC followed by 32 hex digits')
    .optional(),
  TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  TWILIO_API_URL: httpUrl.optional().describe('Unset for Twilio itself; the sandbox in local runs'),
  SMS_RATE_PER_SECOND: z.coerce.number().positive().default(10).describe('Twilio calls per second, all workers'),

  FCM_PROJECT_ID: z.string().min(1).optional().describe('Firebase project for push; unset: no push channel'),
  FCM_ACCESS_TOKEN: z
    .string()
    .min(1)
    .optional()
    .describe('Fixed OAuth token instead of Google credentials (GOOGLE_APPLICATION_CREDENTIALS); for the sandbox'),
  FCM_API_URL: z
    .url({ protocol: /^https$/ })
    .optional()
    .describe('Unset for FCM itself; the sandbox over TLS in local runs'),
  FCM_CA_FILE: z.string().min(1).optional().describe('PEM file of the CA that signed the sandbox certificate'),
  PUSH_RATE_PER_SECOND: z.coerce.number().positive().default(100).describe('FCM calls per second, all workers'),

  PAYLOAD_ENCRYPTION_KEYS: z
    .string()
    .refine((value) => {
      try {
        return parseEncryptionKeys(value).length > 0;
      } catch {
        return false;
      }
    }, 'must be id:<32-byte key in base64>[,id:key…], the current key first')
    .optional()
    .describe('AES-256-GCM keys for workflow payloads; unset: payloads in plain JSON'),

  CODEC_SERVER_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .describe('Bearer token of /codec/decode for the Temporal Web UI; unset: no codec server'),
  CODEC_SERVER_AUTH: z
    .enum(['token', 'loopback'])
    .default('token')
    .describe('loopback: no token, callers on this machine only (the local stack, whose Web UI sends none)'),
  CODEC_CORS_ORIGINS: z
    .string()
    .transform((value) => value.split(',').map((origin) => origin.trim().replace(/\/$/, '')))
    .pipe(z.array(z.url({ protocol: /^https?$/ })))
    .optional()
    .describe('Comma-separated Web UI origins allowed to call the codec server from the browser'),

  POSTMARK_WEBHOOK_USER: z.string().min(1).optional().describe('Basic-auth user set on the Postmark delivery webhook'),
  POSTMARK_WEBHOOK_PASSWORD: z.string().min(12).optional(),
  PUBLIC_BASE_URL: httpUrl.optional().describe('How providers reach this API for delivery receipts; none: no receipts'),
  RECEIPT_WAIT: z
    .string()
    .refine((v) => Duration.fromISO(v).isValid, 'must be an ISO-8601 duration such as PT10M')
    .default('PT10M')
    .describe('How long a sent channel waits for its delivery receipt before it settles on sent'),
});

/** Credentials that mean nothing alone: either both are set or neither is. */
const pairedSettings = [
  ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'],
  ['POSTMARK_WEBHOOK_USER', 'POSTMARK_WEBHOOK_PASSWORD'],
  ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'],
  ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME'],
] as const;

const checkedEnvSchema = envSchema.superRefine((env, ctx) => {
  for (const [first, second] of pairedSettings) {
    if ((env[first] === undefined) !== (env[second] === undefined)) {
      ctx.addIssue({ code: 'custom', path: [second], message: `${first} and ${second} go together` });
    }
  }
});

export type Config = z.infer<typeof envSchema>;

/** SMS and push are offered only where their provider is configured; email always (Postmark is required). */
export const configuredChannels = (config: Config): Channel[] => [
  ...(config.TWILIO_ACCOUNT_SID !== undefined ? (['sms'] as const) : []),
  'email',
  ...(config.FCM_PROJECT_ID !== undefined ? (['push'] as const) : []),
];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = checkedEnvSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}
