import type { KafkaMessage } from 'kafkajs';
import type { Logger } from '../logging/logger';
import type { AcceptResult, MessageOrigin } from '../messages/accept-message';
import { AcceptanceError } from '../messages/acceptance-error';
import type { MessageRequest } from '../messages/message-schema';
import type { Channel } from '../shared/channels';
import { inRecordTrace } from '../telemetry/kafka-context';
import type { BridgeMetrics } from './bridge-metrics';
import type { DeadLetterWriter } from './dead-letters';
import { decodeRecord } from './record-decoder';
import { derivedMessageId, type SourceCoordinates } from './record-source';

export interface RecordSettlerDeps {
  accept: (clientId: string, request: MessageRequest, origin: MessageOrigin) => Promise<AcceptResult>;
  deadLetter: DeadLetterWriter;
  /** The channel a per-channel topic implies, by topic name. */
  impliedChannel: (topic: string) => Channel | undefined;
  isStopping: () => boolean;
  sleep: (ms: number) => Promise<void>;
  metrics: BridgeMetrics;
  logger: Logger;
}

class StoppingError extends Error {
  constructor() {
    super('the bridge is stopping: the record stays uncommitted for the next owner of its partition');
  }
}

const backoffMs = (attempt: number) => Math.min(10_000, 200 * 2 ** Math.min(attempt - 1, 6));

/**
 * Settles one record: a workflow started (or found already started) or a dead letter. Whatever is not the
 * record's fault (Temporal, MongoDB or the broker unreachable) is retried in place until it settles or the
 * bridge stops.
 */
export function recordSettler(deps: RecordSettlerDeps) {
  const { metrics, logger: log } = deps;

  async function settle(source: SourceCoordinates, message: KafkaMessage): Promise<void> {
    const decoded = decodeRecord(message.value, deps.impliedChannel(source.topic));
    if (!decoded.ok) return deps.deadLetter(source, message, decoded.reason, decoded.detail);
    try {
      const { firstTime } = await inRecordTrace(message.headers, () =>
        deps.accept(decoded.clientId, decoded.request, { source, derivedMessageId: derivedMessageId(source) }),
      );
      metrics.records.inc({ topic: source.topic, outcome: firstTime ? 'started' : 'already_started' });
    } catch (err) {
      if (!(err instanceof AcceptanceError)) throw err;
      const detail = [err.message, ...err.details.map((d) => `${d.path}: ${d.issue}`)].join('; ');
      await deps.deadLetter(source, message, err.kind, detail);
    }
  }

  return async (source: SourceCoordinates, message: KafkaMessage, heartbeat: () => Promise<void>): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      if (deps.isStopping()) throw new StoppingError();
      try {
        await settle(source, message);
        return;
      } catch (err) {
        if (deps.isStopping()) throw new StoppingError();
        metrics.retries.inc({ topic: source.topic });
        // Not the record's fault: Temporal, MongoDB or the broker. Hold the partition and try again.
        if (attempt === 1 || attempt % 10 === 0)
          log.warn({ ...source, attempt, err: (err as Error).message }, 'record not settled; retrying');
        await deps.sleep(backoffMs(attempt));
        await heartbeat();
      }
    }
  };
}
