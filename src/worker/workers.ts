import { NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { dataConverterFor } from '../temporal/data-converter';
import type { Config } from '../config';
import type { Channel } from '../shared/channels';
import { providerTaskQueue } from '../shared/temporal-names';
import { temporalConnectionOptions } from '../temporal/connection-options';

export interface WorkerSet {
  run(): Promise<void>;
  shutdown(): void;
}

/**
 * One worker for workflows and bookkeeping, one per provider queue. The provider queue's rate limit is
 * enforced by the Temporal server across every worker process, so scaling out workers never outruns a provider.
 */
export async function createWorkers(
  config: Config,
  deps: ActivityDeps,
  workflows: { workflowBundle: WorkflowBundle } | { workflowsPath: string },
): Promise<WorkerSet> {
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  const activities = createActivities(deps);
  const { sendEmail, sendSms, sendPush, ...bookkeeping } = activities;
  const common = { connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: dataConverterFor(config) };

  const providerWorker = (channel: Channel, channelActivities: object, ratePerSecond: number) =>
    Worker.create({
      ...common,
      taskQueue: providerTaskQueue(config.TEMPORAL_TASK_QUEUE, channel),
      activities: channelActivities,
      maxTaskQueueActivitiesPerSecond: ratePerSecond,
    });

  const workers = await Promise.all([
    Worker.create({
      ...common,
      ...workflows,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      activities: bookkeeping,
      // Waiting messages leave the cache once it is full and are replayed from history when they wake.
      maxCachedWorkflows: config.WORKFLOW_CACHE_SIZE,
    }),
    providerWorker('email', { sendEmail }, config.EMAIL_RATE_PER_SECOND),
    ...(deps.sms ? [providerWorker('sms', { sendSms }, config.SMS_RATE_PER_SECOND)] : []),
    ...(deps.push ? [providerWorker('push', { sendPush }, config.PUSH_RATE_PER_SECOND)] : []),
  ]);

  return {
    run: async () => {
      try {
        await Promise.all(workers.map((w) => w.run()));
      } finally {
        await connection.close();
      }
    },
    shutdown: () => {
      for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
    },
  };
}
