import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import {
  bookkeepingActivities,
  deliverWebhookActivity,
  sendEmailActivity,
  sendPushActivity,
  sendSmsActivity,
  type ActivityDeps,
} from '../activities';
import type { WorkerConfig, WorkerRole } from '../config';
import type { Logger } from '../logging/logger';
import type { EmailProvider, PushProvider, SmsProvider } from '../providers/types';
import { connectTo } from '../shared/startup-connection';
import { providerTaskQueue } from '../shared/temporal-names';
import { dataConverterFor } from '../temporal/data-converter';
import { temporalConnectionOptions } from '../temporal/connection-options';
import { tracingWorkerOptions } from '../telemetry/temporal-tracing';
import { workflowInterceptorModules } from './workflow-code';

/** What the roles of one worker process use; each is present when a role that needs it runs. */
export interface WorkerDeps {
  bookkeeping?: Pick<ActivityDeps, 'findProfile' | 'writeDeliveryRecord' | 'publishAck'>;
  metrics: ActivityDeps['metrics'];
  email?: EmailProvider;
  sms?: SmsProvider;
  push?: PushProvider;
  receipts?: ActivityDeps['receipts'];
  logger: Logger;
}

export interface WorkerSet {
  run(): Promise<void>;
  shutdown(): void;
  /** Readiness: every role's worker polls, and Temporal answers. */
  readiness: { pollers(): Promise<void>; temporal(): Promise<void> };
}

const missing = (role: WorkerRole): never => {
  throw new Error(`worker role ${role} has no provider configured`);
};

/**
 * One worker per role: `workflows` polls the workflow queue (workflows and bookkeeping), each channel role its
 * provider queue. The provider queue's rate limit is enforced by the Temporal server across every worker process,
 * so scaling out workers never outruns a provider.
 */
export async function createWorkers(
  config: WorkerConfig,
  roles: WorkerRole[],
  deps: WorkerDeps,
  workflows: { workflowBundle: WorkflowBundleOption } | { workflowsPath: string },
): Promise<WorkerSet> {
  const connection = await connectTo('Temporal', config.TEMPORAL_ADDRESS, () =>
    NativeConnection.connect(temporalConnectionOptions(config)),
  );
  const common = {
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: dataConverterFor(config),
    ...tracingWorkerOptions('workflowsPath' in workflows ? workflowInterceptorModules : []),
  };
  const { logger, receipts, metrics } = deps;

  const providerWorker = (channel: 'sms' | 'email' | 'push', activities: object, ratePerSecond: number) =>
    Worker.create({
      ...common,
      taskQueue: providerTaskQueue(config.TEMPORAL_TASK_QUEUE, channel),
      activities,
      maxTaskQueueActivitiesPerSecond: ratePerSecond,
    });

  const roleWorker = (role: WorkerRole): Promise<Worker> => {
    switch (role) {
      case 'workflows': {
        const bookkeeping = { ...(deps.bookkeeping ?? missing(role)), metrics };
        return Worker.create({
          ...common,
          ...workflows,
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          activities: { ...bookkeepingActivities(bookkeeping), deliverWebhook: deliverWebhookActivity(bookkeeping) },
          // Waiting messages leave the cache once it is full and are replayed from history when they wake.
          maxCachedWorkflows: config.WORKFLOW_CACHE_SIZE,
        });
      }
      case 'email': {
        const sendEmail = sendEmailActivity({ email: deps.email ?? missing(role), receipts, logger, metrics });
        return providerWorker(role, { sendEmail }, config.EMAIL_RATE_PER_SECOND);
      }
      case 'sms': {
        const sendSms = sendSmsActivity({ sms: deps.sms ?? missing(role), receipts, logger, metrics });
        return providerWorker(role, { sendSms }, config.SMS_RATE_PER_SECOND);
      }
      case 'push': {
        const sendPush = sendPushActivity({ push: deps.push ?? missing(role), logger, metrics });
        return providerWorker(role, { sendPush }, config.PUSH_RATE_PER_SECOND);
      }
    }
  };

  const workers = await Promise.all(roles.map(roleWorker));

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
    readiness: {
      pollers: () => {
        const idle = roles.filter((_, i) => workers[i]?.getState() !== 'RUNNING');
        return idle.length > 0 ? Promise.reject(new Error(`not polling: ${idle.join(', ')}`)) : Promise.resolve();
      },
      temporal: async () => {
        await connection.workflowService.getSystemInfo({});
      },
    },
  };
}
