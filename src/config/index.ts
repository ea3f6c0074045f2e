import { z } from 'zod';
import type { Channel } from '../shared/channels';
import {
  acceptanceSettings,
  ackTopicSettings,
  apiSettings,
  bridgeSettings,
  kafkaSettings,
  loggingSettings,
  metricsSettings,
  mongoSettings,
  temporalSettings,
  workerSettings,
  type WorkerRole,
} from './settings';

export { workerRoles, type WorkerRole } from './settings';

export class ConfigError extends Error {}

type Settings<Shape extends z.ZodRawShape> = z.infer<z.ZodObject<Shape>>;
export type TemporalConfig = Settings<typeof temporalSettings>;
export type KafkaConfig = Settings<typeof kafkaSettings>;
export type AcceptanceConfig = Settings<typeof acceptanceSettings>;

const apiShape = {
  ...loggingSettings,
  ...metricsSettings,
  ...temporalSettings,
  ...mongoSettings,
  ...acceptanceSettings,
  ...apiSettings,
};
const workerShape = {
  ...loggingSettings,
  ...metricsSettings,
  ...temporalSettings,
  ...mongoSettings,
  ...kafkaSettings,
  ...ackTopicSettings,
  ...workerSettings,
};
const bridgeShape = {
  ...loggingSettings,
  ...metricsSettings,
  ...temporalSettings,
  ...mongoSettings,
  ...kafkaSettings,
  ...acceptanceSettings,
  ...bridgeSettings,
};
/** Every setting of every role: one process running them all (benchmarks, `npm run dev`'s defaults). */
const allShape = { ...apiShape, ...workerShape, ...bridgeShape };

/** Credentials that mean nothing alone: either both are set or neither is. */
const pairedSettings = [
  ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'],
  ['POSTMARK_WEBHOOK_USER', 'POSTMARK_WEBHOOK_PASSWORD'],
  ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'],
  ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME'],
  ['TEMPORAL_TLS_CERT_FILE', 'TEMPORAL_TLS_KEY_FILE'],
  ['KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_KEY_FILE'],
] as const;

/** What each worker role needs configured before it can poll its queue. */
const roleRequirements: Partial<Record<WorkerRole, readonly string[]>> = {
  email: ['POSTMARK_SERVER_TOKEN'],
  sms: ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'],
  push: ['FCM_PROJECT_ID'],
};

/** Unset WORKER_ROLES keeps the all-in-one worker of before: every queue whose provider is configured. */
export const resolvedWorkerRoles = (env: {
  WORKER_ROLES?: WorkerRole[];
  TWILIO_ACCOUNT_SID?: string;
  FCM_PROJECT_ID?: string;
}): WorkerRole[] =>
  env.WORKER_ROLES ?? [
    'workflows',
    'email',
    ...(env.TWILIO_ACCOUNT_SID !== undefined ? (['sms'] as const) : []),
    ...(env.FCM_PROJECT_ID !== undefined ? (['push'] as const) : []),
  ];

function roleSchema<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.object(shape).superRefine(
    (parsed, ctx) => {
      const env = parsed as Record<string, unknown>;
      for (const [first, second] of pairedSettings) {
        if (!(first in shape && second in shape)) continue;
        if ((env[first] === undefined) !== (env[second] === undefined)) {
          ctx.addIssue({ code: 'custom', path: [second], message: `${first} and ${second} go together` });
        }
      }
      if (!('WORKER_ROLES' in shape)) return;
      // A WORKER_ROLES that failed to parse is reported by itself; its requirements are then unknown.
      if (env.WORKER_ROLES !== undefined && !Array.isArray(env.WORKER_ROLES)) return;
      for (const role of resolvedWorkerRoles(env)) {
        for (const name of roleRequirements[role] ?? []) {
          if (env[name] === undefined)
            ctx.addIssue({ code: 'custom', path: [name], message: `required by the worker role ${role}` });
        }
      }
    },
    // Also when other settings are bad, so that one error names every problem.
    { when: () => true },
  );
}

const schemas = {
  temporal: roleSchema(temporalSettings),
  api: roleSchema(apiShape),
  worker: roleSchema(workerShape),
  bridge: roleSchema(bridgeShape),
  all: roleSchema(allShape),
};

/** The variables each role reads: a deployment gives each process these and nothing else. */
export const roleSettingNames = {
  api: Object.keys(apiShape),
  worker: Object.keys(workerShape),
  bridge: Object.keys(bridgeShape),
} as const;

export type ApiConfig = Settings<typeof apiShape>;
export type WorkerConfig = Settings<typeof workerShape>;
export type BridgeConfig = Settings<typeof bridgeShape>;
export type Config = Settings<typeof allShape>;

function parse<Role extends keyof typeof schemas>(role: Role, env: NodeJS.ProcessEnv): z.infer<(typeof schemas)[Role]> {
  const parsed = schemas[role].safeParse(env);
  if (parsed.success) return parsed.data as z.infer<(typeof schemas)[Role]>;
  const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}

/** Each process reads only the settings of its role; a bad value stops it with one line per problem. */
export const loadApiConfig = (env: NodeJS.ProcessEnv = process.env): ApiConfig => parse('api', env);
export const loadWorkerConfig = (env: NodeJS.ProcessEnv = process.env): WorkerConfig => parse('worker', env);
export const loadBridgeConfig = (env: NodeJS.ProcessEnv = process.env): BridgeConfig => parse('bridge', env);
export const loadTemporalConfig = (env: NodeJS.ProcessEnv = process.env): TemporalConfig => parse('temporal', env);
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => parse('all', env);

/** CHANNELS when set; otherwise email, and SMS and push where their provider is configured (as before roles). */
export const configuredChannels = (config: AcceptanceConfig): Channel[] =>
  config.CHANNELS ?? [
    ...(config.TWILIO_ACCOUNT_SID !== undefined ? (['sms'] as const) : []),
    'email',
    ...(config.FCM_PROJECT_ID !== undefined ? (['push'] as const) : []),
  ];
