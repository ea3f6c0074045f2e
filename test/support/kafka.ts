import { randomBytes, randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type IHeaders, type Message } from 'kafkajs';
import { ensureTopics } from '../../src/kafka/kafka-client';
import { testEnv } from './harness';

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

/** Topic names of one test's bridge: its own, so records of other tests and runs never reach it. */
export function bridgeTopics() {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  return {
    messages: `${prefix}.messages`,
    sms: `${prefix}.sms`,
    email: `${prefix}.email`,
    push: `${prefix}.push`,
    dlq: `${prefix}.dlq`,
    groupId: `${prefix}-bridge`,
  };
}
export type TestTopics = ReturnType<typeof bridgeTopics>;

export const bridgeEnv = (topics: TestTopics): NodeJS.ProcessEnv => ({
  KAFKA_MESSAGES_TOPIC: topics.messages,
  KAFKA_SMS_TOPIC: topics.sms,
  KAFKA_EMAIL_TOPIC: topics.email,
  KAFKA_PUSH_TOPIC: topics.push,
  KAFKA_DLQ_TOPIC: topics.dlq,
  KAFKA_GROUP_ID: topics.groupId,
  BRIDGE_PORT: '0',
});

/** Creates the topics (3 partitions, the broker's default) and produces the records, in order, awaiting acks. */
export async function produce(topic: string, messages: Message[]): Promise<void> {
  const kafka = testKafka();
  await ensureTopics(kafka.admin(), [topic]);
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += 200) {
      await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 200) });
    }
  } finally {
    await producer.disconnect();
  }
}
