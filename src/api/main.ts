// First: tracing (when on) must instrument http before anything below loads it.
import '../telemetry/register-api';
import { flushTracing } from '../telemetry/tracing';
import { cachedLookups } from '../clients/acceptance-cache';
import { dataConverterFor } from '../temporal/data-converter';
import { configuredChannels, loadApiConfig, type ApiConfig } from '../config';
import { openDatabase } from '../db/mongo';
import { createLogger, exitWithError } from '../logging/logger';
import { logProcessWarnings } from '../logging/process-warnings';
import { createServiceMetrics } from '../metrics/service-metrics';
import { messageStatus } from '../messages/message-status';
import { createTemporalClient } from '../temporal/client';
import type { CodecAccess } from './routes/codec';
import { startApiServer, type ApiServer } from './server';

/** Who may call the codec server: bearers of its token, or (local stack only) anyone on this machine. */
function codecAccess(config: ApiConfig): CodecAccess | undefined {
  if (config.CODEC_SERVER_AUTH === 'loopback') return { kind: 'loopback' };
  return config.CODEC_SERVER_TOKEN ? { kind: 'token', token: config.CODEC_SERVER_TOKEN } : undefined;
}

export async function startApi(env: NodeJS.ProcessEnv = process.env): Promise<ApiServer> {
  const config = loadApiConfig(env);
  const logger = createLogger(config.LOG_LEVEL, 'api');
  logProcessWarnings(logger);
  const metrics = createServiceMetrics({ clientLabels: config.METRICS_CLIENT_LABELS });
  const db = await openDatabase(config.MONGODB_URI);
  const temporal = await createTemporalClient(config);
  const codec = dataConverterFor(config).payloadCodecs?.[0];
  const access = codecAccess(config);
  const lookups = cachedLookups(
    { clientForApiKey: db.apiKeys.clientForApiKey, findProfile: db.profiles.findProfile },
    config.ACCEPTANCE_CACHE_MS,
  );
  const server = await startApiServer(
    {
      temporal,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      supportedChannels: configuredChannels(config),
      findProfile: lookups.findProfile,
      clientForApiKey: lookups.clientForApiKey,
      forgetClient: lookups.forgetClient,
      profiles: db.profiles,
      apiKeys: db.apiKeys,
      findDeliveryRecords: db.deliveries.findDeliveryRecords,
      recordAcceptance: db.deliveries.recordAcceptance,
      listDeliveryRecords: db.deliveries.listDeliveryRecords,
      currentStatus: (clientId, messageId) =>
        messageStatus({ temporal, findDeliveryRecords: db.deliveries.findDeliveryRecords }, clientId, messageId),
      maxRequestBytes: config.MAX_REQUEST_BYTES,
      adminApiKey: config.ADMIN_API_KEY,
      rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
      publicBaseUrl: config.PUBLIC_BASE_URL,
      twilioAuthToken: config.TWILIO_AUTH_TOKEN,
      postmarkWebhook:
        config.POSTMARK_WEBHOOK_USER && config.POSTMARK_WEBHOOK_PASSWORD
          ? { user: config.POSTMARK_WEBHOOK_USER, password: config.POSTMARK_WEBHOOK_PASSWORD }
          : undefined,
      codecServer: codec && access ? { codec, access, corsOrigins: config.CODEC_CORS_ORIGINS ?? [] } : undefined,
      readiness: {
        temporal: async () => {
          await temporal.connection.workflowService.getSystemInfo({});
        },
        // No Kafka: the API never uses it, and a Kafka outage must not take every API instance out of service.
        mongodb: db.ping,
      },
      logger,
      metrics,
    },
    config.PORT,
  );
  logger.info({ url: server.url }, 'API listening');
  return {
    url: server.url,
    stop: async () => {
      await server.stop();
      await Promise.allSettled([temporal.connection.close(), db.close()]);
    },
  };
}

if (require.main === module) {
  startApi().then(
    (server) => {
      const stop = () =>
        void server
          .stop()
          .then(flushTracing)
          .then(() => process.exit(0));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    },
    (err: unknown) => exitWithError('api', err),
  );
}
