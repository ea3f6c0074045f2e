import type { Admin } from 'kafkajs';
import { Counter, Gauge, type Registry } from 'prom-client';

export type BridgeMetrics = ReturnType<typeof createBridgeMetrics>;

/**
 * The bridge's own Prometheus metrics, beside the service metrics in the process's registry. Lag is measured
 * when scraped: the group's committed offsets against each partition's end, so it counts what no bridge
 * instance has committed yet.
 */
export function createBridgeMetrics(
  registry: Registry,
  lagSource: { admin: Admin; groupId: string; topics: string[] },
) {
  const records = new Counter({
    name: 'bridge_records_total',
    help: 'Records settled, by topic and outcome (started, already_started, dead_lettered)',
    labelNames: ['topic', 'outcome'] as const,
    registers: [registry],
  });
  const retries = new Counter({
    name: 'bridge_record_retries_total',
    help: 'Attempts that failed for a reason outside the record (Temporal, MongoDB or Kafka unreachable)',
    labelNames: ['topic'] as const,
    registers: [registry],
  });
  const lag = new Gauge({
    name: 'bridge_consumer_lag',
    help: "Records not yet committed by the bridge's consumer group, per partition",
    labelNames: ['topic', 'partition'] as const,
    registers: [registry],
    collect: async () => {
      for (const [key, value] of await consumerLag(lagSource)) {
        const [topic = '', partition = ''] = key.split('\u0000');
        lag.set({ topic, partition }, value);
      }
    },
  });
  return { records, retries, lag };
}

/** Lag per `topic\0partition`: end offset minus committed offset (an uncommitted partition counts from its start). */
export async function consumerLag({
  admin,
  groupId,
  topics,
}: {
  admin: Admin;
  groupId: string;
  topics: string[];
}): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  const committed = await admin.fetchOffsets({ groupId, topics });
  for (const { topic, partitions } of committed) {
    const ends = await admin.fetchTopicOffsets(topic);
    for (const end of ends) {
      const offset = partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
      const from = Number(offset) >= 0 ? Number(offset) : Number(end.low);
      result.set(`${topic}\u0000${end.partition}`, Math.max(0, Number(end.high) - from));
    }
  }
  return result;
}
