import { createServiceMetrics } from '../../src/metrics/service-metrics';
import fs from 'node:fs';
import path from 'node:path';
import { Connection, type Client } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import { configuredChannels, loadConfig } from '../../src/config';
import { openDatabase } from '../../src/db/mongo';
import { acceptMessage, type AcceptDeps } from '../../src/messages/accept-message';
import { messageSchema } from '../../src/messages/message-schema';
import { registerSearchAttributes } from '../../src/temporal/search-attributes-registration';
import { createTemporalClient } from '../../src/temporal/client';
import { portIsFree } from '../stack/processes';
import { temporalDevServerCommand } from '../stack/temporal';
import { sleep } from '../load/async';
import { rssOf } from '../load/proc-stats';
import { mapConcurrent } from '../load/send';
import { serviceCommand } from '../load/service-process';
import { startChild, type BenchChild } from './children';
import { benchDir, envInt, envIntList, hex, runBench, type BenchContext } from './common';
import { benchEnv, deleteTopicsAtEnd, dropBenchDatabase } from './deployment';
import { fmt, median, mib, perSecond, printTable, round, writeResult } from './figures';
import { benchChannels, benchProfile, nextWholeMinute, utcWindow } from './profiles';

const { TaskQueueKind, TaskQueueType } = proto.api.enums.v1;

/**
 * A Temporal dev server of the bench's own, same binary and flags as the stack's but other ports and a throw-away
 * database: 100,000 waiting workflows must not stay in the shared server's database.
 */
async function startOwnTemporal(ctx: BenchContext, port: number, uiPort: number) {
  for (const p of [port, uiPort])
    if (!(await portIsFree(p))) throw new Error(`port ${p} is taken; set BENCH_TEMPORAL_PORT / BENCH_TEMPORAL_UI_PORT`);
  fs.mkdirSync(benchDir, { recursive: true });
  const dbFile = path.join(benchDir, `temporal-sleeping-${hex(4)}.db`);
  ctx.defer('delete the Temporal database', () => {
    for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(`${dbFile}${suffix}`, { force: true });
  });
  const { command, args } = temporalDevServerCommand({ port, uiPort, dbFile });
  const server = await startChild(ctx, {
    name: 'temporal',
    command,
    args,
    timeoutMs: 60_000,
    // Ready once it answers and holds the search attributes the workflows are started with, registered as users do.
    ready: async () => {
      const connection = await Connection.connect({ address: `127.0.0.1:${port}`, connectTimeout: 1_000 });
      try {
        await registerSearchAttributes(connection, 'default');
        return true;
      } finally {
        await connection.close();
      }
    },
  });
  return { server, dbFile };
}

const fileBytes = (file: string) => {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
};

/** Tasks waiting on a queue (workflow or activity), as the server estimates them. */
async function backlog(temporal: Client, taskQueue: string, type: proto.api.enums.v1.TaskQueueType) {
  const { stats } = await temporal.workflowService.describeTaskQueue({
    namespace: 'default',
    taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: type,
    reportStats: true,
  });
  return Number(stats?.approximateBacklogCount ?? 0);
}

/**
 * Settled: nothing queued for the worker, and its CPU near idle for a few seconds in a row. Only then is the
 * resident size that of waiting workflows rather than of work in progress.
 */
async function settle(ctx: BenchContext, temporal: Client, worker: BenchChild, taskQueue: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  let cpu = worker.cpuSeconds();
  let loggedAt = Date.now();
  while (quiet < 3) {
    await sleep(2_000);
    const now = worker.cpuSeconds();
    const busy = (now - cpu) / 2;
    cpu = now;
    const queued =
      (await backlog(temporal, taskQueue, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)) +
      (await backlog(temporal, taskQueue, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY));
    quiet = queued === 0 && busy < 0.1 ? quiet + 1 : 0;
    if (Date.now() - loggedAt > 10_000) {
      ctx.log(`settling: ${queued} task(s) queued, worker CPU ${fmt(busy * 100, 0)}%`);
      loggedAt = Date.now();
    }
    if (Date.now() > deadline) throw new Error(`the worker did not settle within ${timeoutMs / 1000}s`);
  }
}

runBench('sleeping', async (ctx) => {
  const levels = [...new Set(envIntList('BENCH_SLEEPING', [0, 10_000, 100_000]))].sort((a, b) => a - b);
  const concurrency = envInt('BENCH_START_CONCURRENCY', 200);
  const port = envInt('BENCH_TEMPORAL_PORT', 7299);
  const uiPort = envInt('BENCH_TEMPORAL_UI_PORT', 8299);
  const settleTimeoutMs = envInt('BENCH_SETTLE_SECONDS', 1_800) * 1_000;
  await dropBenchDatabase();

  const { server, dbFile } = await startOwnTemporal(ctx, port, uiPort);
  ctx.log(`own Temporal dev server on 127.0.0.1:${port} (pid ${server.pid}, ${path.relative(process.cwd(), dbFile)})`);
  const env = benchEnv('sleeping', { TEMPORAL_ADDRESS: `127.0.0.1:${port}`, LOG_LEVEL: 'info' });
  deleteTopicsAtEnd(ctx, env, [env.KAFKA_ACK_TOPIC!]);
  const config = loadConfig(env);

  const db = await openDatabase(config.MONGODB_URI);
  ctx.defer('disconnect MongoDB', db.close);
  const clientId = `bench-sleeping-${hex(4)}`;
  // Twelve hours away: every message plans a wait and sleeps on a durable timer.
  const profile = benchProfile(clientId, {
    channels: { email: { ...benchChannels.email, window: utcWindow(nextWholeMinute(12 * 3_600_000), 3_600_000) } },
  });
  await db.profiles.saveProfile(profile);

  const worker = await startChild(ctx, {
    name: 'worker',
    ...serviceCommand('worker'),
    env: { ...process.env, ...env },
  });
  const temporal = await createTemporalClient(config);
  ctx.defer('close the Temporal client', () => temporal.connection.close());
  // The API's own acceptance code builds each start (input, memo, summary, search attributes); only the HTTP
  // hop and the database reads are left out: the profile is fixed and no delivery record can exist yet.
  const deps: AcceptDeps = {
    temporal,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    supportedChannels: configuredChannels(config),
    findProfile: () => Promise.resolve(profile),
    findDeliveryRecords: () => Promise.resolve([]),
    recordAcceptance: () => Promise.resolve(),
    logger: { warn: () => undefined },
    metrics: createServiceMetrics(),
  };
  const request = (i: number) =>
    messageSchema.parse({
      messageId: `sl-${i}`,
      channels: ['email'],
      recipient: { email: `sleeper-${i}@bench.example` },
      content: { email: { subject: `Waiting ${i}`, text: 'Sent in twelve hours.' } },
    });

  const rows: {
    waiting: number;
    workerRssBytes: number;
    serverRssBytes: number;
    dbBytes: number;
    startsPerSecond?: number;
  }[] = [];
  let started = 0;
  for (const level of levels) {
    const toStart = level - started;
    let startsPerSecond: number | undefined;
    if (toStart > 0) {
      ctx.log(`starting ${toStart} workflows (${concurrency} in flight) to reach ${level} waiting`);
      const began = Date.now();
      let loggedAt = began;
      const indexes = Array.from({ length: toStart }, (_, k) => started + k);
      await mapConcurrent(
        indexes,
        concurrency,
        // Nothing kept per start: 100,000 acceptances would only grow this process.
        async (i) => {
          await acceptMessage(deps, clientId, request(i));
        },
        (done) => {
          if (Date.now() - loggedAt < 10_000 && done < toStart) return;
          loggedAt = Date.now();
          const rate = perSecond(done, loggedAt - began);
          const eta = (toStart - done) / rate;
          ctx.log(
            `  ${started + done}/${level} started, ${fmt(rate)}/s, ETA ${fmt(eta / 60, 1)} min, worker RSS ${fmt(mib(worker.rssBytes()), 0)} MiB, server RSS ${fmt(mib(server.rssBytes()), 0)} MiB`,
          );
        },
      );
      startsPerSecond = round(perSecond(toStart, Date.now() - began));
      started = level;
    }
    ctx.log(`${level} started; waiting for the worker to settle`);
    await settle(ctx, temporal, worker, config.TEMPORAL_TASK_QUEUE, settleTimeoutMs);
    const { count: running } = await temporal.workflow.count(
      `ClientId = '${clientId}' AND ExecutionStatus = 'Running'`,
    );
    if (running !== level) ctx.log(`WARNING: ${running} running workflows, expected ${level}`);
    // A few samples a second apart: RSS moves with GC, the median is what stays resident.
    const samples = { worker: [] as number[], server: [] as number[] };
    for (let k = 0; k < 5; k++) {
      samples.worker.push(rssOf(worker.pid));
      samples.server.push(rssOf(server.pid));
      await sleep(1_000);
    }
    rows.push({
      waiting: level,
      workerRssBytes: median(samples.worker),
      serverRssBytes: median(samples.server),
      dbBytes: fileBytes(dbFile) + fileBytes(`${dbFile}-wal`),
      startsPerSecond,
    });
    ctx.log(
      `${level} waiting: worker ${fmt(mib(median(samples.worker)), 0)} MiB, server ${fmt(mib(median(samples.server)), 0)} MiB`,
    );
  }

  const base = rows[0]!;
  const perThousand = (bytes: number, waiting: number) =>
    waiting === base.waiting ? '' : fmt(mib(bytes) / ((waiting - base.waiting) / 1000), 2);
  printTable(
    'Resident memory with N workflows waiting for a window 12 h away (median of 5 samples after settling)',
    ['waiting', 'worker RSS MiB', 'Δ MiB per 1k', 'server RSS MiB', 'Δ MiB per 1k', 'server DB MiB', 'starts/s'],
    rows.map((r) => [
      r.waiting,
      round(mib(r.workerRssBytes), 1),
      perThousand(r.workerRssBytes - base.workerRssBytes, r.waiting),
      round(mib(r.serverRssBytes), 1),
      perThousand(r.serverRssBytes - base.serverRssBytes, r.waiting),
      round(mib(r.dbBytes), 1),
      r.startsPerSecond === undefined ? '' : r.startsPerSecond,
    ]),
  );
  writeResult('sleeping', {
    sizes: { levels, concurrency, workflowCacheSize: env.WORKFLOW_CACHE_SIZE ?? 'SDK default (heap-based)' },
    server: { port, binaryFlags: 'scripts/stack/temporal.ts temporalDevServerCommand' },
    rows: rows.map((r) => ({
      waiting: r.waiting,
      workerRssMiB: round(mib(r.workerRssBytes), 1),
      serverRssMiB: round(mib(r.serverRssBytes), 1),
      serverDbMiB: round(mib(r.dbBytes), 1),
      startsPerSecond: r.startsPerSecond,
    })),
  });
});
