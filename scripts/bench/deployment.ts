import type { Client } from '@temporalio/client';
import mongoose from 'mongoose';
import { startApi } from '../../src/api/main';
import type { ApiServer } from '../../src/api/server';
import { openDatabase } from '../../src/db/mongo';
import { loadConfig } from '../../src/config';
import { createKafka } from '../../src/kafka/kafka-client';
import { createTemporalClient } from '../../src/temporal/client';
import { installSdkRuntime } from '../../src/temporal/runtime';
import { startWorkers, type RunningWorkers } from '../../src/worker/main';
import { once } from '../load/async';
import { mapConcurrent } from '../load/send';
import { localEnv } from '../local-env';
import { hex, type BenchContext } from './common';
import { benchProfile } from './profiles';

// A database of its own, dropped at every start: FerretDB scans whole collections, so leftovers slow every query.
export const benchMongoUri = 'mongodb://127.0.0.1:27017/communication-bench';

/**
 * The local environment (`localEnv`, encryption on) with the bench's own task queue and database, limits out of
 * the way, and no PUBLIC_BASE_URL: without it no receipt is requested, so a sent email ends `sent` at once.
 */
export function benchEnv(name: string, overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...localEnv(),
    PORT: '0',
    BRIDGE_PORT: '0',
    WORKER_HTTP_PORT: '0',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    TEMPORAL_TASK_QUEUE: `bench-${name}-${hex(4)}`,
    MONGODB_URI: benchMongoUri,
    RATE_LIMIT_PER_MINUTE: process.env.RATE_LIMIT_PER_MINUTE ?? '100000000',
    EMAIL_RATE_PER_SECOND: process.env.EMAIL_RATE_PER_SECOND ?? '1000',
    // Acks of their own (deleted at the end): test collectors read channels.acks from its start.
    KAFKA_ACK_TOPIC: `bench.${name}.${hex(4)}.acks`,
  };
  delete env.PUBLIC_BASE_URL;
  return { ...env, ...overrides };
}

/** Deletes the bench's own topics at cleanup, so runs do not pile up topics on the shared broker. */
export function deleteTopicsAtEnd(ctx: BenchContext, env: NodeJS.ProcessEnv, topics: string[]): void {
  ctx.defer('delete the bench topics', async () => {
    const admin = createKafka(loadConfig(env)).admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const mine = topics.filter((t) => existing.has(t));
      if (mine.length > 0) await admin.deleteTopics({ topics: mine, timeout: 30_000 });
    } finally {
      await admin.disconnect();
    }
  });
}

export async function dropBenchDatabase(uri = benchMongoUri): Promise<void> {
  const connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5_000 }).asPromise();
  try {
    await connection.dropDatabase();
  } finally {
    await connection.close();
  }
}

let runtimeInstalled: Promise<void> | undefined;
/** The SDK runtime can be installed once per process, before the first worker or native connection. */
export const ensureSdkRuntime = (): Promise<void> => (runtimeInstalled ??= installSdkRuntime());

export async function benchTemporalClient(ctx: BenchContext, env: NodeJS.ProcessEnv): Promise<Client> {
  const client = await createTemporalClient(loadConfig(env));
  ctx.defer('close the Temporal client', () => client.connection.close());
  return client;
}

export interface Deployment {
  env: NodeJS.ProcessEnv;
  api: ApiServer;
  workers: RunningWorkers;
  temporal: Client;
  /** A client with its profile and one API key; its workflows still running at cleanup are terminated. */
  createClient(label: string, body: Record<string, unknown>): Promise<{ clientId: string; apiKey: string }>;
  stop(): Promise<void>;
}

/**
 * Workers and API in this process, started by the project's own code. With `receipts`, the workers ask providers
 * for receipts at this API (whose port is known only once it listens), as `npm run dev` does.
 */
export async function startDeployment(
  ctx: BenchContext,
  env: NodeJS.ProcessEnv,
  options: { receipts?: boolean } = {},
): Promise<Deployment> {
  await ensureSdkRuntime();
  deleteTopicsAtEnd(ctx, env, [env.KAFKA_ACK_TOPIC!]);
  const stops: (() => Promise<unknown>)[] = [];
  const stop = once(async () => {
    for (const step of stops.reverse()) await step().catch((err: unknown) => ctx.log(`stop: ${String(err)}`));
  });
  ctx.defer('stop the deployment', stop);

  const api = await startApi(env);
  stops.push(() => api.stop());
  const workerEnv = options.receipts ? { ...env, PUBLIC_BASE_URL: api.url } : env;
  const workers = await startWorkers(workerEnv);
  stops.push(() => workers.stop());
  const temporal = await createTemporalClient(loadConfig(env));
  stops.push(() => temporal.connection.close());
  const db = await openDatabase(env.MONGODB_URI!);
  stops.push(() => db.close());

  const createClient = async (label: string, body: Record<string, unknown>) => {
    const clientId = `bench-${label}-${hex(4)}`;
    await db.profiles.saveProfile(benchProfile(clientId, body));
    const { apiKey } = await db.apiKeys.issueApiKey(clientId);
    stops.push(() => terminateRunning(temporal, clientId, ctx.log));
    return { clientId, apiKey };
  };
  ctx.log(`deployment on task queue ${env.TEMPORAL_TASK_QUEUE} (API ${api.url})`);
  return { env: workerEnv, api, workers, temporal, createClient, stop };
}

/** A bench that fails half-way must not leave workflows running (or waiting for a window) on the shared server. */
export async function terminateRunning(temporal: Client, clientId: string, log: (m: string) => void): Promise<void> {
  const query = `ClientId = '${clientId}' AND ExecutionStatus = 'Running'`;
  const { count } = await temporal.workflow.count(query);
  if (count === 0) return;
  log(`terminating ${count} running workflow(s) of ${clientId}`);
  const ids: string[] = [];
  for await (const run of temporal.workflow.list({ query })) ids.push(run.workflowId);
  await mapConcurrent(ids, 20, (id) =>
    temporal.workflow
      .getHandle(id)
      .terminate('benchmark cleanup')
      .catch(() => undefined),
  );
}
