import { Duration } from 'luxon';
import { z } from 'zod';
import { parseEncryptionKeys } from '../codec/encryption-codec';

/**
 * The environment variables, grouped by the dependency or role that uses them. Each process validates the groups
 * it uses (see `index.ts`), so a worker needs no admin key and a bridge no provider secret.
 */

const csv = z.string().transform((value) =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean),
);

const httpUrl = z.url({ protocol: /^https?$/ });
const port = (meaning: string, fallback: number) =>
  z.coerce.number().int().min(0).max(65535).default(fallback).describe(meaning);
const pemFile = (meaning: string) => z.string().min(1).optional().describe(`PEM file: ${meaning}`);

export const loggingSettings = {
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

export const metricsSettings = {
  METRICS_CLIENT_LABELS: csv
    .optional()
    .describe('Client ids that get a client_id label on message metrics (others count as "other"); unset: no label'),
};

export const temporalSettings = {
  TEMPORAL_ADDRESS: z.string().min(1).default('localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z
    .string()
    .min(1)
    .default('deliveries')
    .describe('Queue of the workflow and its bookkeeping activities'),
  TEMPORAL_API_KEY: z.string().min(1).optional().describe('Temporal Cloud API key; enables TLS'),
  TEMPORAL_TLS: z.stringbool().default(false),
  TEMPORAL_TLS_CERT_FILE: pemFile('client certificate for mTLS; enables TLS'),
  TEMPORAL_TLS_KEY_FILE: pemFile('private key of TEMPORAL_TLS_CERT_FILE'),
  TEMPORAL_TLS_CA_FILE: pemFile("CA of the server's certificate; unset: the system CAs"),
  TEMPORAL_TLS_SERVER_NAME: z
    .string()
    .min(1)
    .optional()
    .describe("Name to verify the server's certificate against, when it differs from the address's host"),
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
};

export const mongoSettings = {
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .default('mongodb://localhost:27017/communication'),
};

export const kafkaSettings = {
  KAFKA_BROKERS: csv
    .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port')).min(1))
    .default(['localhost:9092']),
  KAFKA_CLIENT_ID: z.string().min(1).default('communication-service'),
  KAFKA_SSL: z.stringbool().default(false).describe('TLS to the brokers (system CAs unless KAFKA_SSL_CA_FILE)'),
  KAFKA_SSL_CA_FILE: pemFile("CA of the brokers' certificates; enables TLS"),
  KAFKA_SSL_CERT_FILE: pemFile('client certificate for mTLS; enables TLS'),
  KAFKA_SSL_KEY_FILE: pemFile('private key of KAFKA_SSL_CERT_FILE'),
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
};

export const ackTopicSettings = {
  KAFKA_ACK_TOPIC: z.string().min(1).default('channels.acks').describe('Where final channel states are published'),
};

/** What the API and the bridge need to accept a message (SPEC §3, §4). */
export const acceptanceSettings = {
  CHANNELS: csv
    .pipe(z.array(z.enum(['sms', 'email', 'push'])).min(1))
    .optional()
    .describe(
      'Channels this deployment offers; unset: email, plus sms when TWILIO_ACCOUNT_SID and push when FCM_PROJECT_ID is set',
    ),
  ACCEPTANCE_CACHE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(60_000)
    .default(1000)
    .describe("How long the API and the bridge keep a key's client and a profile for acceptance; 0: not at all"),
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'must be AC followed by 32 hex digits')
    .optional(),
  FCM_PROJECT_ID: z.string().min(1).optional().describe('Firebase project for push; unset: no push channel'),
};

export const apiSettings = {
  PORT: port('HTTP port of the Send/Admin API', 3000),
  ADMIN_API_KEY: z.string().min(16, 'must be at least 16 characters').describe('Bearer token for /v1/admin'),
  MAX_REQUEST_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(256 * 1024)
    .describe('Largest accepted JSON body'),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(6000).describe('Send API requests per client key'),
  TWILIO_AUTH_TOKEN: z.string().min(1).optional().describe('Verifies the signature of Twilio status callbacks'),
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
};

export const workerRoles = ['workflows', 'sms', 'email', 'push'] as const;
export type WorkerRole = (typeof workerRoles)[number];

export const workerSettings = {
  WORKER_ROLES: csv
    .pipe(z.array(z.enum(workerRoles)).min(1))
    .optional()
    .describe('Which task queues this worker polls; unset: workflows, email, and sms/push where configured'),
  WORKER_HTTP_PORT: port('Worker health (/health/live, /health/ready)', 3002),
  WORKFLOW_CACHE_SIZE: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .describe("Workflows a worker keeps in memory; unset: the SDK's default from the heap limit (≈2,300 at 4 GiB)"),
  PUBLIC_BASE_URL: apiSettings.PUBLIC_BASE_URL,
  POSTMARK_WEBHOOK_USER: apiSettings.POSTMARK_WEBHOOK_USER,
  RECEIPT_WAIT: z
    .string()
    .refine((v) => Duration.fromISO(v).isValid, 'must be an ISO-8601 duration such as PT10M')
    .default('PT10M')
    .describe('How long a sent channel waits for its delivery receipt before it settles on sent'),
  DELIVERY_RECORD_RETENTION: z
    .string()
    .refine(
      (v) => Duration.fromISO(v).isValid && Duration.fromISO(v).as('seconds') >= 1,
      'must be an ISO-8601 duration such as P90D',
    )
    .optional()
    .describe(
      'How long delivery records stay after their last change (TTL index, or a purge by the workflows worker); unset: forever. Keep it longer than the Temporal namespace retention',
    ),

  POSTMARK_SERVER_TOKEN: z.string().min(1).optional().describe('Postmark server token (X-Postmark-Server-Token)'),
  POSTMARK_API_URL: httpUrl.default('https://api.postmarkapp.com').describe('Base URL; the sandbox in local runs'),
  EMAIL_RATE_PER_SECOND: z.coerce.number().positive().default(50).describe('Postmark calls per second, all workers'),
  TWILIO_ACCOUNT_SID: acceptanceSettings.TWILIO_ACCOUNT_SID,
  TWILIO_AUTH_TOKEN: apiSettings.TWILIO_AUTH_TOKEN,
  TWILIO_API_URL: httpUrl.optional().describe('Unset for Twilio itself; the sandbox in local runs'),
  SMS_RATE_PER_SECOND: z.coerce.number().positive().default(10).describe('Twilio calls per second, all workers'),
  FCM_PROJECT_ID: acceptanceSettings.FCM_PROJECT_ID,
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
};

export const bridgeSettings = {
  KAFKA_MESSAGES_TOPIC: z.string().min(1).default('channels.messages').describe('Bridge input: any channels'),
  KAFKA_SMS_TOPIC: z.string().min(1).default('channels.sms').describe('Bridge input: SMS implied'),
  KAFKA_EMAIL_TOPIC: z.string().min(1).default('channels.email').describe('Bridge input: email implied'),
  KAFKA_PUSH_TOPIC: z.string().min(1).default('channels.push').describe('Bridge input: push implied'),
  KAFKA_DLQ_TOPIC: z.string().min(1).default('channels.dlq').describe('Where the bridge writes records it cannot take'),
  KAFKA_GROUP_ID: z.string().min(1).default('communication-bridge').describe("The bridges' consumer group"),
  BRIDGE_PORT: port('Bridge health and /metrics', 3001),
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
};
