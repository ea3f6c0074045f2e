import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type IHeaders, type Message } from 'kafkajs';
import { produceInOrder } from '../../scripts/load/kafka';
import { ensureTopics } from '../../src/kafka/kafka-client';
import { testEnv } from './harness';

export { bridgeEnv, bridgeTopics, type BridgeTopics as TestTopics } from '../../scripts/load/kafka';

export const testKafka = () =>
  new Kafka({ clientId: 'test', brokers: testEnv.KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING });

export interface RawRecord {
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  partition: number;
  offset: string;
}

const headerText = (headers: IHeaders | undefined) =>
  Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name, String(value)]));

/**
 * A consumer of its own group collecting the records published to a topic from this call on. It starts at the
 * topic's end offsets, committed for the new group before it joins, so a shared topic (acks) costs the same
 * however much the stack already holds, and nothing published after the call is missed (a consumer left to find
 * the latest offset on its own would take it at its first fetch, later).
 */
export async function collectRecords(
  topic: string,
  onRecord: (record: RawRecord) => void = () => undefined,
): Promise<{ records: RawRecord[]; stop: () => Promise<void> }> {
  const kafka = testKafka();
  const groupId = `test-${randomUUID()}`;
  const consumer: Consumer = kafka.consumer({ groupId });
  const records: RawRecord[] = [];
  await ensureTopics(kafka.admin(), [topic]);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    await admin.setOffsets({
      groupId,
      topic,
      partitions: ends.map(({ partition, offset }) => ({ partition, offset })),
    });
  } finally {
    await admin.disconnect();
  }
  await consumer.connect();
  await consumer.subscribe({ topic });
  await consumer.run({
    eachMessage: ({ message, partition }) => {
      const record = {
        key: message.key?.toString() ?? null,
        value: message.value,
        headers: headerText(message.headers),
        partition,
        offset: message.offset,
      };
      records.push(record);
      onRecord(record);
      return Promise.resolve();
    },
  });
  return { records, stop: () => consumer.disconnect() };
}

/** Like collectRecords, for topics of JSON values (acks). */
export async function collectTopic<T>(topic: string): Promise<{ values: T[]; stop: () => Promise<void> }> {
  const values: T[] = [];
  const collector = await collectRecords(topic, (record) => {
    if (record.value) values.push(JSON.parse(record.value.toString()) as T);
  });
  return { values, stop: collector.stop };
}

/** Creates the topics (3 partitions, the broker's default) and produces the records, in order, awaiting acks. */
export async function produce(topic: string, messages: Message[]): Promise<void> {
  const kafka = testKafka();
  await ensureTopics(kafka.admin(), [topic]);
  await produceInOrder(kafka, topic, messages, 200);
}
