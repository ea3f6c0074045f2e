// First: tracing (when on) must instrument http before anything below loads it.
import '../telemetry/register-bridge';
import { flushTracing } from '../telemetry/tracing';
import { cachedProfiles } from '../clients/acceptance-cache';
import { configuredChannels, loadBridgeConfig } from '../config';
import { openDatabase } from '../db/mongo';
import { startHealthServer } from '../health/health-server';
import { createLogger, exitWithError } from '../logging/logger';
import { logProcessWarnings } from '../logging/process-warnings';
import { acceptMessage } from '../messages/accept-message';
import { createTemporalClient } from '../temporal/client';
import { createServiceMetrics } from '../metrics/service-metrics';
import { metricsRoute } from '../metrics/metrics-route';
import { createBridgeMetrics } from './bridge-metrics';
import { createBridge, type BridgeTopics } from './bridge';
import { createKafka, ensureTopicsAtStart } from '../kafka/kafka-client';

export interface RunningBridge {
  /** Health and metrics: `/health/live`, `/health/ready`, `/metrics`. */
  url: string;
  stop(): Promise<void>;
}

export async function startBridge(env: NodeJS.ProcessEnv = process.env): Promise<RunningBridge> {
  const config = loadBridgeConfig(env);
  const logger = createLogger(config.LOG_LEVEL, 'bridge');
  logProcessWarnings(logger);
  const db = await openDatabase(config.MONGODB_URI);
  const temporal = await createTemporalClient(config);
  const kafka = createKafka(config, logger);
  const topics: BridgeTopics = {
    messages: config.KAFKA_MESSAGES_TOPIC,
    perChannel: { sms: config.KAFKA_SMS_TOPIC, email: config.KAFKA_EMAIL_TOPIC, push: config.KAFKA_PUSH_TOPIC },
    deadLetters: config.KAFKA_DLQ_TOPIC,
  };
  const inputTopics = [topics.messages, ...Object.values(topics.perChannel)];
  await ensureTopicsAtStart(kafka, config, [...inputTopics, topics.deadLetters]);
  const admin = kafka.admin();
  await admin.connect();
  const serviceMetrics = createServiceMetrics({ clientLabels: config.METRICS_CLIENT_LABELS });
  const metrics = createBridgeMetrics(serviceMetrics.registry, {
    admin,
    groupId: config.KAFKA_GROUP_ID,
    topics: inputTopics,
  });
  const acceptDeps = {
    temporal,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    supportedChannels: configuredChannels(config),
    findProfile: cachedProfiles(db.profiles.findProfile, config.ACCEPTANCE_CACHE_MS),
    findDeliveryRecords: db.deliveries.findDeliveryRecords,
    recordAcceptance: db.deliveries.recordAcceptance,
    logger,
    metrics: serviceMetrics,
  };
  const bridge = createBridge({
    kafka,
    topics,
    groupId: config.KAFKA_GROUP_ID,
    partitionsConcurrently: config.BRIDGE_PARTITIONS_CONCURRENTLY,
    recordsInFlight: config.BRIDGE_RECORDS_IN_FLIGHT,
    // Bounded, so an unreachable Temporal surfaces as a failed attempt within the consumer's session timeout
    // and the bridge's own retry loop (which heartbeats) takes over from the client's internal retries.
    accept: (clientId, request, origin) =>
      temporal.connection.withDeadline(Date.now() + 10_000, () => acceptMessage(acceptDeps, clientId, request, origin)),
    metrics,
    logger,
  });
  await bridge.start();

  const health = await startHealthServer(
    config.BRIDGE_PORT,
    {
      ready: {
        consumer: () => (bridge.isReady() ? Promise.resolve() : Promise.reject(new Error('not in the consumer group'))),
        temporal: async () => {
          await temporal.connection.workflowService.getSystemInfo({});
        },
        mongodb: db.ping,
      },
      live: { consumer: () => bridge.liveness() },
    },
    (app) => app.get('/metrics', metricsRoute(serviceMetrics.registry)),
  );
  const { url } = health;
  logger.info({ url, topics: inputTopics, groupId: config.KAFKA_GROUP_ID }, 'bridge running');

  return {
    url,
    stop: async () => {
      await bridge.stop();
      await health.close();
      await Promise.allSettled([admin.disconnect(), temporal.connection.close(), db.close()]);
      logger.info('bridge stopped');
    },
  };
}

if (require.main === module) {
  startBridge().then(
    (running) => {
      const stop = () =>
        void running.stop().then(
          () => flushTracing().then(() => process.exit(0)),
          (err: unknown) => exitWithError('bridge', err, true),
        );
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    },
    (err: unknown) => exitWithError('bridge', err),
  );
}
