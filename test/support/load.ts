import { randomBytes } from 'node:crypto';
import { startApi } from '../../src/api/main';
import { countableEmails } from '../../scripts/stack/sandbox-server/client';
import { startWorkers } from '../../src/worker/main';
import { harness, testEnv, testWorkflowBundle } from './harness';
import { eventually } from './http';

/** N emails the sandbox can count one by one, under a prefix of their own. */
export function emailBatch(size: number, label: string) {
  const prefix = `${label}-${randomBytes(3).toString('hex')}`;
  return { prefix, messages: countableEmails(prefix, size, 'faults.example') };
}

export type SendOutcome = { status: number } | { error: string };

/**
 * Posts every message with `concurrency` requests in flight; a request the network loses is recorded, not
 * thrown, as a client would see it. `onAnswer` lets a test act mid-burst.
 */
export async function sendAll(
  baseUrl: () => string,
  apiKey: string,
  messages: { messageId: string }[],
  concurrency: number,
  onAnswer: (answered: number) => Promise<void> | void = () => undefined,
): Promise<Map<string, SendOutcome>> {
  const outcomes = new Map<string, SendOutcome>();
  let next = 0;
  const lane = async () => {
    while (next < messages.length) {
      const message = messages[next++]!;
      try {
        const response = await fetch(`${baseUrl()}/v1/messages/email`, {
          method: 'POST',
          headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify(message),
          signal: AbortSignal.timeout(30_000),
        });
        await response.arrayBuffer();
        outcomes.set(message.messageId, { status: response.status });
      } catch (err) {
        outcomes.set(message.messageId, { error: (err as Error).message });
      }
      await onAnswer(outcomes.size);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return outcomes;
}

/** Waits until `expected` workflows of the client have completed (visibility), with progress in the error. */
export async function completedWorkflows(clientId: string, expected: number, timeoutMs: number): Promise<void> {
  const { temporal } = await harness();
  let seen = 0;
  await eventually(
    async () => {
      ({ count: seen } = await temporal.workflow.count(`ClientId = '${clientId}' AND ExecutionStatus = 'Completed'`));
      return seen >= expected ? true : undefined;
    },
    `${expected} completed workflows (last seen: ${seen})`,
    timeoutMs,
  );
}

/** How many workflows of the client ended in each `DeliveryStatus`. */
export async function deliveryStatusCounts(clientId: string): Promise<Record<string, number>> {
  const { temporal } = await harness();
  const counts: Record<string, number> = {};
  for await (const run of temporal.workflow.list({ query: `ClientId = '${clientId}'` })) {
    const state = String(run.searchAttributes.DeliveryStatus?.[0]);
    counts[state] = (counts[state] ?? 0) + 1;
  }
  return counts;
}

/** The environment of a deployment of its own: its task queues, and no per-key limit in the way of a burst. */
export const loadEnv = (env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ...testEnv,
  TEMPORAL_TASK_QUEUE: `load-${randomBytes(4).toString('hex')}`,
  RATE_LIMIT_PER_MINUTE: '1000000',
  ...env,
});

/**
 * A deployment of its own (task queues, no receipts: a sent email ends `sent`) for load and fault tests; the
 * shared one is started first, since it resets the test database.
 */
export async function loadDeployment(env: NodeJS.ProcessEnv = {}) {
  await harness();
  const full = loadEnv(env);
  const workers = await startWorkers(full, await testWorkflowBundle());
  const api = await startApi(full);
  return {
    env: full,
    api,
    stop: async () => {
      await api.stop();
      await workers.stop();
    },
  };
}
