import { NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import type { Config } from '../config';
import { providerTaskQueue } from '../shared/temporal-names';
import { temporalConnectionOptions } from './connection-options';

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
  const { sendEmail, sendSms, ...bookkeeping } = activities;
  const common = { connection, namespace: config.TEMPORAL_NAMESPACE };

  const workers = await Promise.all([
    Worker.create({
      ...common,
      ...workflows,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      activities: bookkeeping,
    }),
    Worker.create({
      ...common,
      taskQueue: providerTaskQueue('email'),
      activities: { sendEmail },
      maxTaskQueueActivitiesPerSecond: config.EMAIL_RATE_PER_SECOND,
    }),
    ...(deps.sms
      ? [
          Worker.create({
            ...common,
            taskQueue: providerTaskQueue('sms'),
            activities: { sendSms },
            maxTaskQueueActivitiesPerSecond: config.SMS_RATE_PER_SECOND,
          }),
        ]
      : []),
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
