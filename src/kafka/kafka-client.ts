import fs from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { Kafka, logLevel, type Admin, type LogEntry, type SASLOptions } from 'kafkajs';
import type { Logger } from '../logging/logger';
import type { KafkaConfig } from '../config';
import { connectTo } from '../shared/startup-connection';

/** TLS with the system CAs, a private CA, and a client certificate for clusters that authenticate by mTLS. */
function kafkaTls(config: KafkaConfig): ConnectionOptions | boolean {
  const custom = config.KAFKA_SSL_CA_FILE !== undefined || config.KAFKA_SSL_CERT_FILE !== undefined;
  if (!custom) return config.KAFKA_SSL;
  const read = (file: string | undefined) => (file === undefined ? undefined : fs.readFileSync(file, 'utf8'));
  return {
    ca: config.KAFKA_SSL_CA_FILE === undefined ? undefined : [read(config.KAFKA_SSL_CA_FILE)!],
    cert: read(config.KAFKA_SSL_CERT_FILE),
    key: read(config.KAFKA_SSL_KEY_FILE),
  };
}

const pinoLevel = (level: logLevel) =>
  level === logLevel.ERROR ? 'error' : level === logLevel.WARN ? 'warn' : level === logLevel.INFO ? 'info' : 'debug';

/** kafkajs's lines as the process's own pino lines. */
const pinoLogCreator =
  (logger: Logger) =>
  () =>
  ({ namespace, level, log }: LogEntry) => {
    // pino stamps its own time; kafkajs's `logger` is its component's name.
    const fields = Object.fromEntries(
      Object.entries(log).filter(([key]) => key !== 'message' && key !== 'timestamp' && key !== 'logger'),
    );
    logger[pinoLevel(level)]({ ...fields, component: `kafkajs.${namespace || String(log.logger)}` }, log.message);
  };

/**
 * Production clusters (Confluent Cloud, MSK, Aiven, Strimzi) take TLS with SASL PLAIN or SCRAM, or mTLS, all
 * from configuration. With a logger, kafkajs writes through it; without (scripts), its own JSON to the console.
 */
export const createKafka = (config: KafkaConfig, logger?: Logger) =>
  new Kafka({
    clientId: config.KAFKA_CLIENT_ID,
    brokers: config.KAFKA_BROKERS,
    ssl: kafkaTls(config),
    ...(config.KAFKA_SASL_MECHANISM && config.KAFKA_SASL_USERNAME && config.KAFKA_SASL_PASSWORD
      ? {
          sasl: {
            mechanism: config.KAFKA_SASL_MECHANISM,
            username: config.KAFKA_SASL_USERNAME,
            password: config.KAFKA_SASL_PASSWORD,
          } as SASLOptions,
        }
      : {}),
    logLevel: logLevel.WARN,
    ...(logger ? { logCreator: pinoLogCreator(logger) } : {}),
  });

/** Readiness: the cluster answers a metadata request through a long-lived admin connection. */
export function kafkaHealthCheck(admin: Admin): () => Promise<void> {
  let connected: Promise<void> | undefined;
  return async () => {
    connected ??= admin.connect().catch((err: unknown) => {
      connected = undefined;
      throw err;
    });
    await connected;
    const { brokers } = await admin.describeCluster();
    if (brokers.length === 0) throw new Error('no brokers');
  };
}

/** Creates missing topics (idempotent); the broker's defaults decide partitions and replication. */
export async function ensureTopics(admin: Admin, topics: string[]): Promise<void> {
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length > 0)
      await admin.createTopics({ topics: missing.map((topic) => ({ topic })), waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

/** `ensureTopics` at a process's start: retried, and failing with Kafka's name and brokers. */
export const ensureTopicsAtStart = (kafka: Kafka, config: KafkaConfig, topics: string[]): Promise<void> =>
  connectTo('Kafka', config.KAFKA_BROKERS.join(','), () => ensureTopics(kafka.admin(), topics));
