import fs from 'node:fs';
import type { WorkflowBundle } from '@temporalio/worker';
import { Partitioners } from 'kafkajs';
import { Duration } from 'luxon';
import { kafkaAckPublisher } from '../acks/kafka-acks';
import { loadConfig } from '../config';
import { createKafka, ensureTopics } from '../kafka/kafka-client';
import { openDatabase } from '../db/mongo';
import { createLogger } from '../logging/logger';
import { FcmPushProvider } from '../providers/fcm/fcm-push-provider';
import { PostmarkEmailProvider } from '../providers/postmark/postmark-email-provider';
import { TwilioSmsProvider } from '../providers/twilio/twilio-sms-provider';
import { installSdkRuntime } from '../temporal/runtime';
import { createWorkers, type WorkerSet } from './workers';

export interface RunningWorkers {
  /** Resolves when every worker has stopped. */
  done: Promise<void>;
  stop(): Promise<void>;
}

/** Production passes nothing and the workflows are bundled from source; tests pass one bundle built once. */
export async function startWorkers(
  env: NodeJS.ProcessEnv = process.env,
  workflowBundle?: WorkflowBundle,
): Promise<RunningWorkers> {
  const config = loadConfig(env);
  const logger = createLogger(config.LOG_LEVEL, 'worker');
  const db = await openDatabase(config.MONGODB_URI);
  const kafka = createKafka(config);
  await ensureTopics(kafka.admin(), [config.KAFKA_ACK_TOPIC]);
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const workers: WorkerSet = await createWorkers(
    config,
    {
      findProfile: db.profiles.findProfile,
      writeDeliveryRecord: db.deliveries.writeDeliveryRecord,
      email: new PostmarkEmailProvider({ serverToken: config.POSTMARK_SERVER_TOKEN, apiUrl: config.POSTMARK_API_URL }),
      sms:
        config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN
          ? new TwilioSmsProvider({
              accountSid: config.TWILIO_ACCOUNT_SID,
              authToken: config.TWILIO_AUTH_TOKEN,
              apiUrl: config.TWILIO_API_URL,
            })
          : undefined,
      push: config.FCM_PROJECT_ID
        ? new FcmPushProvider({
            projectId: config.FCM_PROJECT_ID,
            accessToken: config.FCM_ACCESS_TOKEN,
            apiUrl: config.FCM_API_URL,
            caPem: config.FCM_CA_FILE ? fs.readFileSync(config.FCM_CA_FILE, 'utf8') : undefined,
          })
        : undefined,
      publishAck: kafkaAckPublisher(producer, config.KAFKA_ACK_TOPIC),
      receipts: config.PUBLIC_BASE_URL
        ? {
            publicBaseUrl: config.PUBLIC_BASE_URL.replace(/\/$/, ''),
            waitMs: Duration.fromISO(config.RECEIPT_WAIT).toMillis(),
            email: config.POSTMARK_WEBHOOK_USER !== undefined,
          }
        : undefined,
      logger,
    },
    workflowBundle ? { workflowBundle } : { workflowsPath: require.resolve('../workflows') },
  );
  const done = workers.run().finally(() => Promise.allSettled([producer.disconnect(), db.close()]));
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'workers running');
  return {
    done,
    stop: async () => {
      workers.shutdown();
      await done;
    },
  };
}

if (require.main === module) {
  installSdkRuntime();
  startWorkers().then(
    (running) => {
      process.once('SIGTERM', () => void running.stop());
      process.once('SIGINT', () => void running.stop());
      running.done.then(
        () => process.exit(0),
        (err: unknown) => {
          console.error(err);
          process.exit(1);
        },
      );
    },
    (err: unknown) => {
      console.error((err as Error).message);
      process.exit(1);
    },
  );
}
