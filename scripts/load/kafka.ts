import { randomBytes } from 'node:crypto';
import { Partitioners, type Kafka, type Message } from 'kafkajs';
import { sleep } from './async';

/** Topic names and consumer group of one bridge of its own, so records of other tests and runs never reach it. */
export function bridgeTopics(prefix = `t${randomBytes(4).toString('hex')}`) {
  return {
    messages: `${prefix}.messages`,
    sms: `${prefix}.sms`,
    email: `${prefix}.email`,
    push: `${prefix}.push`,
    dlq: `${prefix}.dlq`,
    groupId: `${prefix}-bridge`,
  };
}
export type BridgeTopics = ReturnType<typeof bridgeTopics>;

/** Points a bridge at those topics; its health and metrics server on a free port. */
export const bridgeEnv = (topics: BridgeTopics): NodeJS.ProcessEnv => ({
  KAFKA_MESSAGES_TOPIC: topics.messages,
  KAFKA_SMS_TOPIC: topics.sms,
  KAFKA_EMAIL_TOPIC: topics.email,
  KAFKA_PUSH_TOPIC: topics.push,
  KAFKA_DLQ_TOPIC: topics.dlq,
  KAFKA_GROUP_ID: topics.groupId,
  BRIDGE_PORT: '0',
});

/**
 * Produces the records in order to an existing topic, `batchSize` a request, each acknowledged by every in-sync
 * replica. Resolves with how long that took once connected, the last acknowledgement and disconnecting included.
 * With `perSecond`, record i is sent no earlier than `i / perSecond` seconds after connecting (a steady load rather
 * than a backlog up front); a slow broker delays the rest, it does not make them bunch up later.
 */
export async function produceInOrder(
  kafka: Kafka,
  topic: string,
  messages: readonly Message[],
  batchSize: number,
  perSecond?: number,
): Promise<{ elapsedMs: number }> {
  // Idempotent: a send retried after a slow broker's timeout must not write its records twice. A repeated record
  // without a messageId is named by its new offset, so it would be a second message (seen: 330 records for 300
  // sent, and 5 extra workflows, in the bridge's Temporal-outage test under a loaded suite).
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  const started = Date.now();
  try {
    for (let i = 0; i < messages.length; i += batchSize) {
      if (perSecond !== undefined) await sleep(Math.max(0, started + (i * 1_000) / perSecond - Date.now()));
      await producer.send({ topic, acks: -1, messages: messages.slice(i, i + batchSize) });
    }
  } finally {
    await producer.disconnect();
  }
  return { elapsedMs: Date.now() - started };
}
