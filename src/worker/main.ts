// First: tracing (when on) must instrument http before anything below loads it.
import '../telemetry/register-worker';
import { flushTracing } from '../telemetry/tracing';
import fs from 'node:fs';
import type { WorkflowBundle } from '@temporalio/worker';
import { Partitioners } from 'kafkajs';
import { Duration } from 'luxon';
import { kafkaAckPublisher } from '../acks/kafka-acks';
import { loadWorkerConfig, resolvedWorkerRoles, type WorkerConfig } from '../config';
import { openDatabase } from '../db/mongo';
import { startHealthServer } from '../health/health-server';
import type { ReadinessChecks } from '../health/health-routes';
import { createKafka, ensureTopicsAtStart, kafkaHealthCheck } from '../kafka/kafka-client';
import { createLogger, exitWithError } from '../logging/logger';
import { logProcessWarnings } from '../logging/process-warnings';
import { FcmPushProvider } from '../providers/fcm/fcm-push-provider';
import { PostmarkEmailProvider } from '../providers/postmark/postmark-email-provider';
import { TwilioSmsProvider } from '../providers/twilio/twilio-sms-provider';
import { createServiceMetrics } from '../metrics/service-metrics';
import { metricsRoute } from '../metrics/metrics-route';
import { installSdkRuntime, sdkMetrics } from '../temporal/runtime';
import { workflowCode } from './workflow-code';
import { createWorkers, type WorkerDeps } from './workers';

export interface RunningWorkers {
  /** Health and metrics (the SDK's included): `/health/live`, `/health/ready`, `/metrics`. */
  url: string;
  /** Resolves when every worker has stopped. */
  done: Promise<void>;
  stop(): Promise<void>;
}

/** Only the providers of the roles this process runs are built, so a worker needs no other role's secrets. */
function providers(config: WorkerConfig, roles: string[]): Pick<WorkerDeps, 'email' | 'sms' | 'push'> {
  return {
    email:
      roles.includes('email') && config.POSTMARK_SERVER_TOKEN
        ? new PostmarkEmailProvider({ serverToken: config.POSTMARK_SERVER_TOKEN, apiUrl: config.POSTMARK_API_URL })
        : undefined,
    sms:
      roles.includes('sms') && config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN
        ? new TwilioSmsProvider({
            accountSid: config.TWILIO_ACCOUNT_SID,
            authToken: config.TWILIO_AUTH_TOKEN,
            apiUrl: config.TWILIO_API_URL,
          })
        : undefined,
    push:
      roles.includes('push') && config.FCM_PROJECT_ID
        ? new FcmPushProvider({
            projectId: config.FCM_PROJECT_ID,
            accessToken: config.FCM_ACCESS_TOKEN,
            apiUrl: config.FCM_API_URL,
            caPem: config.FCM_CA_FILE ? fs.readFileSync(config.FCM_CA_FILE, 'utf8') : undefined,
          })
        : undefined,
  };
}

/** Production passes nothing: the build's prebuilt bundle, or bundled at start from source; tests pass one bundle built once. */
export async function startWorkers(
  env: NodeJS.ProcessEnv = process.env,
  workflowBundle?: WorkflowBundle,
): Promise<RunningWorkers> {
  const config = loadWorkerConfig(env);
  const roles = resolvedWorkerRoles(config);
  const logger = createLogger(config.LOG_LEVEL, 'worker');
  logProcessWarnings(logger);
  const metrics = createServiceMetrics({ clientLabels: config.METRICS_CLIENT_LABELS });
  const closers: (() => Promise<void>)[] = [];
  const readiness: ReadinessChecks = {};
  let bookkeeping: WorkerDeps['bookkeeping'];

  // Profiles, delivery records and acks are the workflows role's: provider-only workers touch neither.
  if (roles.includes('workflows')) {
    const db = await openDatabase(config.MONGODB_URI);
    const kafka = createKafka(config, logger);
    await ensureTopicsAtStart(kafka, config, [config.KAFKA_ACK_TOPIC]);
    const producer = kafka.producer({
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const admin = kafka.admin();
    // The workflows role purges: it writes the records, and only it runs the retention (once per replica, safely).
    const retention = await db.startRetention(
      config.DELIVERY_RECORD_RETENTION === undefined
        ? undefined
        : Duration.fromISO(config.DELIVERY_RECORD_RETENTION).as('seconds'),
      {
        purged: (count) => logger.info({ count }, 'delivery records past their retention deleted'),
        failed: (err) => logger.warn({ err }, 'purging delivery records failed; the next purge tries again'),
      },
    );
    logger.info({ retention: config.DELIVERY_RECORD_RETENTION ?? 'forever', mode: retention.mode }, 'record retention');
    closers.push(
      () => producer.disconnect(),
      () => admin.disconnect(),
      async () => {
        await retention.stop();
        await db.close();
      },
    );
    readiness.mongodb = db.ping;
    readiness.kafka = kafkaHealthCheck(admin);
    bookkeeping = {
      findProfile: db.profiles.findProfile,
      writeDeliveryRecord: db.deliveries.writeDeliveryRecord,
      publishAck: kafkaAckPublisher(producer, config.KAFKA_ACK_TOPIC),
    };
  }

  const workflows = workflowBundle ? { workflowBundle } : workflowCode();
  const workers = await createWorkers(
    config,
    roles,
    {
      bookkeeping,
      ...providers(config, roles),
      receipts: config.PUBLIC_BASE_URL
        ? {
            publicBaseUrl: config.PUBLIC_BASE_URL.replace(/\/$/, ''),
            waitMs: Duration.fromISO(config.RECEIPT_WAIT).toMillis(),
            email: config.POSTMARK_WEBHOOK_USER !== undefined,
          }
        : undefined,
      logger,
      metrics,
    },
    workflows,
  );
  const health = await startHealthServer(
    config.WORKER_HTTP_PORT,
    { ready: { ...readiness, ...workers.readiness } },
    (app) => app.get('/metrics', metricsRoute(metrics.registry, sdkMetrics)),
  );
  const done = workers.run().finally(() => Promise.allSettled([health.close(), ...closers.map((close) => close())]));
  const bundle = 'workflowsPath' in workflows ? 'bundled at start' : 'prebuilt';
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, roles, bundle, health: health.url }, 'workers running');
  return {
    url: health.url,
    done,
    stop: async () => {
      workers.shutdown();
      await done;
    },
  };
}

if (require.main === module) {
  installSdkRuntime()
    .then(() => startWorkers())
    .then(
      (running) => {
        process.once('SIGTERM', () => void running.stop());
        process.once('SIGINT', () => void running.stop());
        running.done.then(
          () => flushTracing().then(() => process.exit(0)),
          (err: unknown) => exitWithError('worker', err, true),
        );
      },
      (err: unknown) => exitWithError('worker', err),
    );
}
