import { Partitioners, type Consumer, type EachBatchPayload, type Kafka, type Producer } from 'kafkajs';
import type { Logger } from '../logging/logger';
import type { Channel } from '../shared/channels';
import type { BridgeMetrics } from './bridge-metrics';
import { deadLetterWriter } from './dead-letters';
import { interruptibleSleep } from './interruptible-sleep';
import { settleInPrefixOrder } from './prefix-settle';
import { recordSettler, type RecordSettlerDeps } from './record-settler';

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
  accept: RecordSettlerDeps['accept'];
  metrics: BridgeMetrics;
  logger: Logger;
}

export interface Bridge {
  start(): Promise<void>;
  /** Stops fetching, finishes the records in hand, commits and leaves the group. */
  stop(): Promise<void>;
  /** Joined its group and not stopping. */
  isReady(): boolean;
  /** Rejects once the consumer has crashed and kafkajs will not restart it: only a new process mends that. */
  liveness(): Promise<void>;
}

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
  // The Java client's partitioner, as the ack producer uses: kafkajs warns at every start without a choice.
  const producer: Producer = deps.kafka.producer({
    allowAutoTopicCreation: false,
    idempotent: true,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  let joined = false;
  let stopping = false;
  let stoppedForGood: Error | undefined;
  const pauses = interruptibleSleep();
  const settleRecord = recordSettler({
    accept: deps.accept,
    deadLetter: deadLetterWriter(producer, topics.deadLetters, metrics, log),
    impliedChannel: (topic) => impliedChannel.get(topic),
    isStopping: () => stopping,
    sleep: pauses.sleep,
    metrics,
    logger: log,
  });

  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    joined = true;
    log.info({ memberId: payload.memberId, assignment: payload.memberAssignment }, 'joined the consumer group');
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    joined = false;
    if (!payload.restart) stoppedForGood = payload.error;
    log.error({ err: payload.error, restart: payload.restart }, 'consumer crashed');
  });

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
        settleRecord({ topic, partition, offset: message.offset }, message, () => payload.heartbeat()),
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
      pauses.wakeAll();
      // kafkajs waits for the batches in hand, commits resolved offsets and leaves the group.
      await consumer.disconnect();
      await producer.disconnect();
    },
    isReady: () => joined && !stopping,
    liveness: () =>
      stoppedForGood
        ? Promise.reject(new Error(`consumer stopped for good: ${stoppedForGood.message}`))
        : Promise.resolve(),
  };
}
