import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import mongoose from 'mongoose';
import { bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { startApi } from '../../src/api/main';
import type { ApiServer } from '../../src/api/server';
import { startWorkers, type RunningWorkers } from '../../src/worker/main';
import { workflowBundleOptions } from '../../src/worker/workflow-code';
import { pointPostmarkWebhookAt } from '../../scripts/sandbox-webhook';
import { sandboxTls } from '../../scripts/stack/sandbox';
import { uiOrigins } from '../../scripts/stack/temporal';
import { failureConverterPath } from '../../src/temporal/data-converter';
import { EncryptionCodec, parseEncryptionKeys } from '../../src/codec/encryption-codec';
import { profileParts } from './profile';

export const sandboxUrl = 'http://127.0.0.1:4010';
export const sandboxTwilioSid = `AC${'0'.repeat(32)}`;

/** Real servers from the local stack; only the API and the workers run inside the test process. */
export const testEnv: NodeJS.ProcessEnv = {
  PORT: '0',
  WORKER_HTTP_PORT: '0',
  ADMIN_API_KEY: `test-admin-${randomBytes(12).toString('hex')}`,
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  TEMPORAL_ADDRESS: '127.0.0.1:7233',
  // A queue of its own per run: workflows left by a dev session or an earlier run never land on these workers.
  TEMPORAL_TASK_QUEUE: `deliveries-test-${randomBytes(4).toString('hex')}`,
  KAFKA_BROKERS: profileParts.kafkaBrokers,
  // A database of its own lets a second mocha run (one test file, while another runs) share the stack.
  MONGODB_URI: `mongodb://127.0.0.1:27017/${process.env.TEST_DATABASE ?? 'communication-test'}`,
  POSTMARK_SERVER_TOKEN: 'sandbox-postmark-token',
  POSTMARK_API_URL: sandboxUrl,
  // Bridge tests start a thousand emails at once; the production default (50/s) would make them wait.
  EMAIL_RATE_PER_SECOND: '1000',
  TWILIO_ACCOUNT_SID: sandboxTwilioSid,
  TWILIO_AUTH_TOKEN: 'sandbox-twilio-token',
  TWILIO_API_URL: sandboxUrl,
  FCM_PROJECT_ID: 'sandbox-project',
  FCM_ACCESS_TOKEN: 'sandbox-fcm-token',
  FCM_API_URL: sandboxTls.url,
  FCM_CA_FILE: sandboxTls.certFile,
  POSTMARK_WEBHOOK_USER: 'postmark-webhook',
  POSTMARK_WEBHOOK_PASSWORD: `pm-${randomBytes(12).toString('hex')}`,
  // Encrypted as in production, with a key of this run's own (its workflows live and die with its queues). Its id
  // is the run's too: a payload from another run on the same stack (a receipt signalled by that run's API, which
  // the shared sandbox webhook reached) fails as "unknown key run-…", not as an opaque GCM authentication error.
  PAYLOAD_ENCRYPTION_KEYS: `run-${randomBytes(4).toString('hex')}:${randomBytes(32).toString('base64')}`,
  CODEC_SERVER_TOKEN: `codec-${randomBytes(12).toString('hex')}`,
  CODEC_CORS_ORIGINS: uiOrigins.join(','),
};

/** The codec of the test deployments' clients, workers and bridges; the harness's client uses it too. */
export const testCodec = new EncryptionCodec(parseEncryptionKeys(testEnv.PAYLOAD_ENCRYPTION_KEYS!));

export interface Harness {
  api: ApiServer;
  workers: RunningWorkers;
  temporal: Client;
}

let started: Promise<Harness> | undefined;
let workflowBundle: Promise<WorkflowBundle> | undefined;

/** Bundled once per run: bundling takes seconds and every worker of the run uses the same code. */
export const testWorkflowBundle = () =>
  (workflowBundle ??= bundleWorkflowCode({ ...workflowBundleOptions(), logger: quietLogger }));

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

/**
 * The API and workers of one deployment, on the real stack. `overrides` give a deployment of its own (its own
 * task queues and rate limits) next to the shared one.
 */
export async function startService(overrides: NodeJS.ProcessEnv = {}): Promise<Omit<Harness, 'temporal'>> {
  const env = { ...testEnv, ...overrides };
  const api = await startApi(env);
  // Receipts come back to the API of this deployment, whose port is known only now.
  const workers = await startWorkers(
    { ...env, PUBLIC_BASE_URL: api.url, RECEIPT_WAIT: 'PT20S' },
    await testWorkflowBundle(),
  );
  return { api, workers };
}

export function harness(): Promise<Harness> {
  started ??= (async () => {
    // FerretDB on SQLite scans a collection for any query but one by _id: start each run with empty ones.
    const db = await mongoose.createConnection(testEnv.MONGODB_URI!).asPromise();
    await db.dropDatabase();
    await db.close();
    const service = await startService();
    await pointPostmarkWebhookAt(`${service.api.url}/v1/callbacks/postmark`, testEnv);
    const temporal = new Client({
      connection: await Connection.connect({ address: testEnv.TEMPORAL_ADDRESS! }),
      dataConverter: { payloadCodecs: [testCodec], failureConverterPath },
    });
    return { ...service, temporal };
  })();
  return started;
}

export async function stopHarness(): Promise<void> {
  if (!started) return;
  const { api, workers, temporal } = await started;
  await api.stop();
  await workers.stop();
  await temporal.connection.close();
}

/** For a `describe` that needs a deployment of its own (its own queues, limits or keys) next to the shared one. */
export function useOwnService(overrides: NodeJS.ProcessEnv): () => Omit<Harness, 'temporal'> {
  let service: Omit<Harness, 'temporal'> | undefined;
  before(async function () {
    this.timeout(60_000);
    service = await startService(overrides);
  });
  after(async () => {
    await service?.api.stop();
    await service?.workers.stop();
  });
  return () => {
    if (!service) throw new Error('the service did not start');
    return service;
  };
}
