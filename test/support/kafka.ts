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

/** A consumer of its own group reading a topic from the start, collecting records as they come. */
export async function collectRecords(
  topic: string,
  onRecord: (record: RawRecord) => void = () => undefined,
): Promise<{ records: RawRecord[]; stop: () => Promise<void> }> {
  const kafka = testKafka();
  const consumer: Consumer = kafka.consumer({ groupId: `test-${randomUUID()}` });
  const records: RawRecord[] = [];
  await ensureTopics(kafka.admin(), [topic]);
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
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
