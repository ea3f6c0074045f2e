import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { startApi } from '../../src/api/main';
import type { ApiServer } from '../../src/api/server';
import { startWorkers, type RunningWorkers } from '../../src/worker/main';
import { pointPostmarkWebhookAt } from '../../scripts/sandbox-webhook';

export const sandboxUrl = 'http://127.0.0.1:4010';
export const sandboxTwilioSid = `AC${'0'.repeat(32)}`;

/** Real servers from the local stack; only the API and the workers run inside the test process. */
export const testEnv: NodeJS.ProcessEnv = {
  PORT: '0',
  ADMIN_API_KEY: `test-admin-${randomBytes(12).toString('hex')}`,
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  TEMPORAL_ADDRESS: '127.0.0.1:7233',
  // A queue of its own per run: workflows left by a dev session or an earlier run never land on these workers.
  TEMPORAL_TASK_QUEUE: `deliveries-test-${randomBytes(4).toString('hex')}`,
  KAFKA_BROKERS: '127.0.0.1:9092',
  MONGODB_URI: 'mongodb://127.0.0.1:27017/communication-test',
  POSTMARK_SERVER_TOKEN: 'sandbox-postmark-token',
  POSTMARK_API_URL: sandboxUrl,
  TWILIO_ACCOUNT_SID: sandboxTwilioSid,
  TWILIO_AUTH_TOKEN: 'sandbox-twilio-token',
  TWILIO_API_URL: sandboxUrl,
  POSTMARK_WEBHOOK_USER: 'postmark-webhook',
  POSTMARK_WEBHOOK_PASSWORD: `pm-${randomBytes(12).toString('hex')}`,
};

export interface Harness {
  api: ApiServer;
  workers: RunningWorkers;
  temporal: Client;
}

let started: Promise<Harness> | undefined;
let workflowBundle: Promise<WorkflowBundle> | undefined;

/** Bundled once per run: bundling takes seconds and every worker of the run uses the same code. */
export const testWorkflowBundle = () =>
  (workflowBundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    logger: quietLogger,
  }));

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

export function harness(): Promise<Harness> {
  started ??= (async () => {
    const api = await startApi(testEnv);
    await pointPostmarkWebhookAt(`${api.url}/v1/callbacks/postmark`, testEnv);
    // Receipts come back to the API of this run, whose port is known only now.
    const workers = await startWorkers(
      { ...testEnv, PUBLIC_BASE_URL: api.url, RECEIPT_WAIT: 'PT20S' },
      await testWorkflowBundle(),
    );
    const temporal = new Client({ connection: await Connection.connect({ address: testEnv.TEMPORAL_ADDRESS! }) });
    return { api, workers, temporal };
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
