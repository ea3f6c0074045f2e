import { createHash } from 'node:crypto';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Logger } from '../logging/logger';
import type { AcceptResult, MessageOrigin } from '../messages/accept-message';
import { AcceptanceError } from '../messages/acceptance-error';
import type { MessageRequest } from '../messages/message-schema';
import { identifier } from '../shared/schema-primitives';
import type { Channel } from '../shared/channels';
import type { BridgeMetrics } from './bridge-metrics';
import { settleInPrefixOrder } from './prefix-settle';
import { decodeRecord, type DeadLetterReason } from './record-decoder';

export interface BridgeTopics {
  /** Any channels. */
  messages: string;
  /** One channel each, implied by the topic. */
  perChannel: Record<Channel, string>;
  deadLetters: string;
}

export interface BridgeDeps {
  kafka: Kafka;
  topics: BridgeTopics;
  groupId: string;
  /** Partitions processed at once. */
  partitionsConcurrently: number;
  /** Records of one partition being settled at once; offsets are committed only past a finished prefix. */
  recordsInFlight: number;
  accept: (clientId: string, request: MessageRequest, origin: MessageOrigin) => Promise<AcceptResult>;
  metrics: BridgeMetrics;
  logger: Logger;
}

export interface Bridge {
  start(): Promise<void>;
  /** Stops fetching, finishes the records in hand, commits and leaves the group. */
  stop(): Promise<void>;
  /** Joined its group and not stopping. */
  isReady(): boolean;
}

export interface SourceCoordinates {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * A record without a messageId is named by where it sits, so its redelivery maps to the same workflow. Topic
 * names can be longer than an identifier allows; those are hashed.
 */
export function derivedMessageId({ topic, partition, offset }: SourceCoordinates): string {
  const plain = `kafka.${topic}.${partition}.${offset}`;
  if (identifier.safeParse(plain).success) return plain;
  return `kafka.${createHash('sha256').update(topic).digest('hex').slice(0, 32)}.${partition}.${offset}`;
}

class StoppingError extends Error {
  constructor() {
    super('the bridge is stopping: the record stays uncommitted for the next owner of its partition');
  }
}

const backoffMs = (attempt: number) => Math.min(10_000, 200 * 2 ** Math.min(attempt - 1, 6));

/**
 * SPEC §5: consumes the client topics as one group and turns each record into one `deliverMessage` start.
 * An offset is committed only after its record's start or dead-letter write is confirmed, and those of every
 * record before it in the partition (see eachBatch); a record the service cannot take is dead-lettered and
 * committed, and anything else (Temporal, MongoDB or the broker unreachable) is retried in place, holding the
 * partition's commits at that record.
 */
export function createBridge(deps: BridgeDeps): Bridge {
  const { topics, metrics } = deps;
  const log = deps.logger;
  const impliedChannel = new Map<string, Channel>(
    Object.entries(topics.perChannel).map(([channel, topic]) => [topic, channel as Channel]),
  );
  const consumer: Consumer = deps.kafka.consumer({
    groupId: deps.groupId,
    allowAutoTopicCreation: false,
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
  });
  const producer: Producer = deps.kafka.producer({ allowAutoTopicCreation: false, idempotent: true });
  let joined = false;
  let stopping = false;
  const sleepers = new Set<() => void>();

  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    joined = true;
    log.info({ memberId: payload.memberId, assignment: payload.memberAssignment }, 'joined the consumer group');
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    joined = false;
    log.error({ err: payload.error, restart: payload.restart }, 'consumer crashed');
  });

  /** A back-off pause that `stop()` cuts short. */
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      sleepers.add(done);
    });

  async function deadLetter(
    source: SourceCoordinates,
    message: KafkaMessage,
    reason: DeadLetterReason,
    detail: string,
  ) {
    await producer.send({
      topic: topics.deadLetters,
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
  }

  /** One attempt at the record's outcome: a workflow started (or found already started) or a dead letter. */
  async function settle(source: SourceCoordinates, message: KafkaMessage): Promise<void> {
    const decoded = decodeRecord(message.value, impliedChannel.get(source.topic));
    if (!decoded.ok) return deadLetter(source, message, decoded.reason, decoded.detail);
    try {
      const { firstTime } = await deps.accept(decoded.clientId, decoded.request, {
        source,
        derivedMessageId: derivedMessageId(source),
      });
      metrics.records.inc({ topic: source.topic, outcome: firstTime ? 'started' : 'already_started' });
    } catch (err) {
      if (!(err instanceof AcceptanceError)) throw err;
      const detail = [err.message, ...err.details.map((d) => `${d.path}: ${d.issue}`)].join('; ');
      await deadLetter(source, message, err.kind, detail);
    }
  }

  /** Settles one record, retrying in place whatever is not the record's fault. */
  async function settleWithRetries(source: SourceCoordinates, message: KafkaMessage, heartbeat: () => Promise<void>) {
    for (let attempt = 1; ; attempt++) {
      if (stopping) throw new StoppingError();
      try {
        await settle(source, message);
        return;
      } catch (err) {
        if (stopping) throw new StoppingError();
        metrics.retries.inc({ topic: source.topic });
        // Not the record's fault: Temporal, MongoDB or the broker. Hold the partition and try again.
        if (attempt === 1 || attempt % 10 === 0)
          log.warn({ ...source, attempt, err: (err as Error).message }, 'record not settled; retrying');
        await sleep(backoffMs(attempt));
        await heartbeat();
      }
    }
  }

  /**
   * One partition's batch, `recordsInFlight` records at a time: a Temporal start is a network round trip, and
   * one record at a time left a partition at a few records per second. An offset is resolved only once every
   * record before it has settled too, so a crash or rebalance redelivers from the first unfinished record; the
   * redelivered records that had settled map to workflows already started.
   */
  async function eachBatch(payload: EachBatchPayload): Promise<void> {
    const { topic, partition } = payload.batch;
    await settleInPrefixOrder(payload.batch.messages, {
      inFlight: deps.recordsInFlight,
      keepGoing: () => payload.isRunning() && !payload.isStale(),
      settle: (message) =>
        settleWithRetries({ topic, partition, offset: message.offset }, message, () => payload.heartbeat()),
      settledPrefix: async (message) => {
        payload.resolveOffset(message.offset);
        await payload.commitOffsetsIfNecessary();
      },
    });
  }

  return {
    start: async () => {
      await producer.connect();
      await consumer.connect();
      // A group with no committed offset starts at the earliest record: records published before the first
      // bridge ever ran are messages too.
      await consumer.subscribe({ topics: [topics.messages, ...Object.values(topics.perChannel)], fromBeginning: true });
      await consumer.run({
        partitionsConsumedConcurrently: deps.partitionsConcurrently,
        // Commit within long batches too (every second or 100 records), so a crash redelivers little; what it
        // redelivers is recognised as already started.
        autoCommitInterval: 1_000,
        autoCommitThreshold: 100,
        eachBatchAutoResolve: false,
        eachBatch,
      });
    },
    stop: async () => {
      stopping = true;
      joined = false;
      for (const done of [...sleepers]) done();
      // kafkajs waits for the batches in hand, commits resolved offsets and leaves the group.
      await consumer.disconnect();
      await producer.disconnect();
    },
    isReady: () => joined && !stopping,
  };
}
