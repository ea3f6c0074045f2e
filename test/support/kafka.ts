import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { ensureTopics } from '../../src/kafka-bridge/kafka-client';
import { testEnv } from './harness';

/** A consumer of its own group reading a topic from the start, collecting parsed values as they come. */
export async function collectTopic<T>(topic: string): Promise<{ values: T[]; stop: () => Promise<void> }> {
  const kafka = new Kafka({ clientId: 'test', brokers: testEnv.KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING });
  const consumer: Consumer = kafka.consumer({ groupId: `test-${randomUUID()}` });
  const values: T[] = [];
  await ensureTopics(kafka.admin(), [topic]);
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ message }) => {
      if (message.value) values.push(JSON.parse(message.value.toString()) as T);
      return Promise.resolve();
    },
  });
  return { values, stop: () => consumer.disconnect() };
}
