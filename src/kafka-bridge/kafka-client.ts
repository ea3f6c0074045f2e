import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { Config } from '../config';

export const createKafka = (config: Config) =>
  new Kafka({ clientId: config.KAFKA_CLIENT_ID, brokers: config.KAFKA_BROKERS, logLevel: logLevel.WARN });

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
