import type { KafkaMessage, Producer } from 'kafkajs';
import type { Logger } from '../logging/logger';
import type { BridgeMetrics } from './bridge-metrics';
import type { DeadLetterReason } from './record-decoder';
import type { SourceCoordinates } from './record-source';

export type DeadLetterWriter = (
  source: SourceCoordinates,
  message: KafkaMessage,
  reason: DeadLetterReason,
  detail: string,
) => Promise<void>;

/** Writes a record the service cannot take to the DLQ as it came, with why and where from in its headers. */
export const deadLetterWriter =
  (producer: Producer, topic: string, metrics: BridgeMetrics, log: Logger): DeadLetterWriter =>
  async (source, message, reason, detail) => {
    await producer.send({
      topic,
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            'dlq-reason': reason,
            // Zod's messages name fields and rules, never the values, so no recipient data leaks into headers.
            'dlq-detail': detail.slice(0, 2_000),
            'dlq-source-topic': source.topic,
            'dlq-source-partition': String(source.partition),
            'dlq-source-offset': source.offset,
            'dlq-source-timestamp': message.timestamp,
            'dlq-time': new Date().toISOString(),
          },
        },
      ],
    });
    metrics.records.inc({ topic: source.topic, outcome: 'dead_lettered' });
    log.warn({ ...source, reason, detail: detail.slice(0, 300) }, 'record dead-lettered');
  };
