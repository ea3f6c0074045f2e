import { execFileSync } from 'node:child_process';
import type { Client } from '@temporalio/client';
import { loadConfig } from '../../src/config';
import { openDatabase } from '../../src/db/mongo';
import { createKafka } from '../../src/kafka/kafka-client';
import { sleep } from '../load/async';
import { waitForCompleted } from '../load/completion';
import { bridgeEnv, bridgeTopics, produceInOrder } from '../load/kafka';
import { metricSum } from '../load/metrics';
import { machineCpuSeconds } from '../load/proc-stats';
import { answerSummary, mapAtRate, postMessage } from '../load/send';
import { productionEnv } from '../local-env';
import { pointPostmarkWebhookAt } from '../sandbox-webhook';
import { productionProfile } from '../stack';
import { readPid } from '../stack/processes';
import { startTopology, type RunningInstance } from '../topology/services';
import { benchSandbox } from './children';
import { envInt, envNumber, hex, repoRoot, runBench } from './common';
import {
  benchMongoUri,
  benchTemporalClient,
  deleteTopicsAtEnd,
  dropBenchDatabase,
  terminateRunning,
} from './deployment';
import { fmt, median, mib, printFigures, printTable, round, writeResult } from './figures';
import { benchChannels, benchEmails, benchProfile } from './profiles';

/**
 * Memory and CPU of each role of the production topology (scripts/topology/services.ts: two APIs, a workflow
 * worker, a provider worker, two bridges, each a process of its own from `dist/`), on the production profile of
 * the local stack, idle and under a steady load through both entrances: what Kubernetes requests and limits
 * are set from.
 */

type RoleName = 'api' | 'worker-workflows' | 'worker-providers' | 'bridge';
const roleNames: RoleName[] = ['api', 'worker-workflows', 'worker-providers', 'bridge'];
const roleOf = (p: RunningInstance): RoleName =>
  p.instance.role !== 'worker'
    ? p.instance.role
    : p.instance.env?.WORKER_ROLES === 'workflows'
      ? 'worker-workflows'
      : 'worker-providers';

/** One reading of every process, the machine and this bench process (the load's client). */
interface Sample {
  at: number;
  rss: number[];
  cpu: number[];
  machine: { busy: number; total: number };
  bench: number;
}

function sampleOf(procs: readonly RunningInstance[]): Sample {
  for (const p of procs)
    if (!p.alive()) throw new Error(`${p.instance.name} exited; last output:\n${p.output().slice(-3_000)}`);
  const own = process.cpuUsage();
  return {
    at: Date.now(),
    rss: procs.map((p) => p.rssBytes()),
    cpu: procs.map((p) => p.cpuSeconds()),
    machine: machineCpuSeconds(),
    bench: (own.user + own.system) / 1e6,
  };
}

/** A sample a second (or `everyMs`) until stopped; `failed` rejects when a process of the topology dies. */
function startSampling(procs: readonly RunningInstance[], first: Sample, everyMs = 1_000) {
  const samples = [first];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await sleep(everyMs);
      samples.push(sampleOf(procs));
    }
  })();
  const failed = loop.then(() => new Promise<never>(() => undefined));
  failed.catch(() => undefined); // awaited in races; not an unhandled rejection meanwhile
  return {
    samples,
    failed,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

/** Workflows of the client running now (started, not closed), every 5 s: what the worker holds at most. */
function countRunning(temporal: Client, clientId: string, everyMs = 5_000) {
  const points: { at: number; running: number }[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const counted = await temporal.workflow
        .count(`ClientId = '${clientId}' AND ExecutionStatus = 'Running'`)
        .catch(() => undefined);
      if (counted) points.push({ at: Date.now(), running: counted.count });
      await sleep(everyMs);
    }
  })();
  return {
    points,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

/** A figure at time t, interpolated between the samples either side (they are a second apart). */
function valueAt(samples: readonly Sample[], t: number, pick: (s: Sample) => number): number {
  const i = samples.findIndex((s) => s.at >= t);
  if (i <= 0) return pick(samples[i === 0 ? 0 : samples.length - 1]!);
  const [a, b] = [samples[i - 1]!, samples[i]!];
  return pick(a) + ((pick(b) - pick(a)) * (t - a.at)) / (b.at - a.at);
}

/** Samples a second apart; the median RSS of each process, and the cores it used meanwhile. */
async function quietFigures(procs: readonly RunningInstance[], count: number) {
  const samples: Sample[] = [];
  for (let k = 0; k < count; k++) {
    if (k > 0) await sleep(1_000);
    samples.push(sampleOf(procs));
  }
  const [first, last] = [samples[0]!, samples[samples.length - 1]!];
  const seconds = (last.at - first.at) / 1_000;
  return procs.map((_, i) => ({
    rssBytes: median(samples.map((s) => s.rss[i]!)),
    cores: seconds > 0 ? (last.cpu[i]! - first.cpu[i]!) / seconds : NaN,
  }));
}

async function waitUntilReady(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (
    !(await fetch(url, { signal: AbortSignal.timeout(5_000) })
      .then((r) => r.ok)
      .catch(() => false))
  ) {
    if (Date.now() > deadline) throw new Error(`${url} not ready within ${timeoutMs / 1000}s`);
    await sleep(500);
  }
}

runBench('roles', async (ctx) => {
  const messages = envInt('BENCH_ROLES_MESSAGES', 3000);
  const rate = envNumber('BENCH_ROLES_RATE', 10);
  const partitions = envInt('BENCH_ROLES_PARTITIONS', 6);
  const idleSettleSeconds = envInt('BENCH_ROLES_IDLE_SETTLE_SECONDS', 20);
  const idleSamples = Math.max(2, envInt('BENCH_ROLES_IDLE_SAMPLES', 10));

  const notRunning = productionProfile.servers.filter((s) => readPid(s.name) === undefined).map((s) => s.name);
  if (notRunning.length > 0)
    throw new Error(
      `the production profile is not running (${notRunning.join(', ')}): npm run stack:down && npm run stack:up -- --profile production`,
    );

  // As `npm run dev -- --profile production` does: the build, then each role from dist/.
  ctx.log('npm run build');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  await dropBenchDatabase();

  // Receipts need the sandbox's one Postmark webhook pointed at this run's API: a sandbox of the bench's own.
  const sandbox = await benchSandbox(ctx, { ownWebhook: true });
  const id = hex(4);
  const prefix = `bench.roles.${id}`;
  const topics = bridgeTopics(prefix);
  const env: NodeJS.ProcessEnv = {
    ...productionEnv(),
    ...sandbox.env,
    ...bridgeEnv(topics),
    // Queues, database and ack topic of the bench's own; the one client may send as fast as the run needs.
    TEMPORAL_TASK_QUEUE: `bench-roles-${id}`,
    MONGODB_URI: benchMongoUri,
    KAFKA_ACK_TOPIC: `${prefix}.acks`,
    RATE_LIMIT_PER_MINUTE: process.env.RATE_LIMIT_PER_MINUTE ?? '100000000',
    EMAIL_RATE_PER_SECOND: process.env.EMAIL_RATE_PER_SECOND ?? '1000',
  };
  deleteTopicsAtEnd(ctx, env, [
    topics.messages,
    topics.sms,
    topics.email,
    topics.push,
    topics.dlq,
    env.KAFKA_ACK_TOPIC!,
  ]);
  const kafka = createKafka(loadConfig(env));
  ctx.defer('delete the consumer group', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([topics.groupId]).catch(() => undefined);
    await admin.disconnect();
  });
  // The bridges' input topic with partitions enough for both bridges to get the same share.
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic: topics.email, numPartitions: partitions }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }

  const db = await openDatabase(env.MONGODB_URI!);
  const clientId = `bench-roles-${id}`;
  let apiKey: string;
  try {
    await db.profiles.saveProfile(benchProfile(clientId, { channels: { email: benchChannels.email } }));
    ({ apiKey } = await db.apiKeys.issueApiKey(clientId));
  } finally {
    await db.close();
  }
  const temporal = await benchTemporalClient(ctx, env);
  ctx.defer('terminate what is left running', () => terminateRunning(temporal, clientId, ctx.log));

  ctx.log(`starting the topology from dist/ (task queue ${env.TEMPORAL_TASK_QUEUE})`);
  const topology = await startTopology(env, { from: 'dist', anyPort: true });
  ctx.defer('stop the topology', topology.stop);
  await pointPostmarkWebhookAt(`${topology.publicBaseUrl}/v1/callbacks/postmark`, env, sandbox.url);
  const procs = [...topology.apis, ...topology.workers, ...topology.bridges];
  await Promise.all(
    [...topology.workers, ...topology.bridges].map((p) => waitUntilReady(`${p.url}/health/ready`, 90_000)),
  );
  for (const p of procs) ctx.log(`  ${p.instance.name.padEnd(16)} pid ${p.pid}  ${p.url}`);

  // ---- Phase 1: idle, once start-up work (JIT, connections, the first polls, the group join) has passed.
  ctx.log(`idle: ${idleSettleSeconds}s to settle, then ${idleSamples} samples a second apart`);
  await sleep(idleSettleSeconds * 1_000);
  const idle = await quietFigures(procs, idleSamples);

  // ---- Phase 2: a steady load, half through the two APIs (alternately), half as records into the bridges.
  const tag = `ro${hex(3)}`;
  const apiMessages = benchEmails(`${tag}a`, messages);
  const records = benchEmails(`${tag}k`, messages).map((m) => ({ value: JSON.stringify({ clientId, ...m }) }));
  const half = rate / 2;
  ctx.log(`load: ${messages} emails through the APIs and ${messages} records through Kafka, ${fmt(half, 1)}/s each`);
  const start = sampleOf(procs);
  const sampling = startSampling(procs, start);
  const running = countRunning(temporal, clientId);
  const [sent, produced] = await Promise.race([
    Promise.all([
      mapAtRate(apiMessages, half, (m, i) =>
        postMessage(topology.apis[i % topology.apis.length]!.url, apiKey, 'email', m),
      ),
      produceInOrder(kafka, topics.email, records, Math.max(1, Math.round(half / 5)), half),
    ]),
    sampling.failed,
  ]);
  const answers = answerSummary(sent.results);
  if (answers.accepted < messages)
    ctx.log(
      `WARNING: ${answers.accepted}/${messages} accepted: ${JSON.stringify(answers.others)} ${answers.firstErrors[0]}`,
    );
  const expected = answers.accepted + messages;
  const sentAt = Date.now();
  const { at: lastCompletion } = await Promise.race([
    waitForCompleted(temporal, clientId, expected, ctx.completion),
    sampling.failed,
  ]);
  await sleep(1_500); // a sample after the last completion, to interpolate at it
  await Promise.all([sampling.stop(), running.stop()]);
  const samples = sampling.samples;
  const peakRunning = Math.max(0, ...running.points.map((p) => p.running));
  const windowS = (lastCompletion - start.at) / 1_000;

  // ---- After: what stays resident once the work is done.
  await sleep(10_000);
  const after = await quietFigures(procs, 5);

  const delivered = (await temporal.workflow.count(`ClientId = '${clientId}' AND DeliveryStatus = 'delivered'`)).count;
  const bridgeCounts = await Promise.all(
    topology.bridges.map(async (b) => {
      const text = await (await fetch(`${b.url}/metrics`)).text();
      return {
        name: b.instance.name,
        started: metricSum(text, 'bridge_records_total', { topic: topics.email, outcome: 'started' }),
        deadLettered: metricSum(text, 'bridge_records_total', { outcome: 'dead_lettered' }),
      };
    }),
  );

  // ---- Figures
  const inWindow = samples.filter((s) => s.at <= lastCompletion + 1_000);
  const processes = procs.map((p, i) => {
    const cpuSeconds = valueAt(samples, lastCompletion, (s) => s.cpu[i]!) - start.cpu[i]!;
    return {
      name: p.instance.name,
      role: roleOf(p),
      idleRssBytes: idle[i]!.rssBytes,
      idleCores: idle[i]!.cores,
      peakRssBytes: Math.max(...inWindow.map((s) => s.rss[i]!)),
      afterRssBytes: after[i]!.rssBytes,
      cpuSeconds,
      cores: cpuSeconds / windowS,
    };
  });
  // The messages each role handles: every one passes both workers; an API or a bridge sees its entrance's only
  // (the API also takes every message's Postmark receipt, at the first API: the sandbox has one webhook).
  const perRoleMessages: Record<RoleName, number> = {
    api: answers.accepted,
    'worker-workflows': expected,
    'worker-providers': expected,
    bridge: messages,
  };
  const roles = roleNames.map((role) => {
    const of = processes.filter((p) => p.role === role);
    const cpuSeconds = of.reduce((sum, p) => sum + p.cpuSeconds, 0);
    return {
      role,
      processes: of.length,
      idleRssBytes: Math.max(...of.map((p) => p.idleRssBytes)),
      peakRssBytes: Math.max(...of.map((p) => p.peakRssBytes)),
      afterRssBytes: Math.max(...of.map((p) => p.afterRssBytes)),
      idleCores: of.reduce((sum, p) => sum + p.idleCores, 0),
      cpuSeconds,
      cores: cpuSeconds / windowS,
      messages: perRoleMessages[role],
      cpuMsPerMessage: (cpuSeconds * 1_000) / perRoleMessages[role],
      cpuMsPerDelivered: (cpuSeconds * 1_000) / expected,
    };
  });
  const machineAt = (pick: (s: Sample) => number) => valueAt(samples, lastCompletion, pick) - pick(start);
  const machineTotal = machineAt((s) => s.machine.total) / windowS;
  const machineBusy = machineAt((s) => s.machine.busy) / windowS;
  const benchCores = machineAt((s) => s.bench) / windowS;
  const roleCores = roles.reduce((sum, r) => sum + r.cores, 0);

  const mb = (bytes: number) => round(mib(bytes), 0);
  const milli = (cores: number) => round(cores * 1_000, 0);
  printTable(
    `Per process: idle (median of ${idleSamples} samples), peak during the load, and 10 s after it (median of 5)`,
    ['process', 'idle RSS MiB', 'idle mCPU', 'peak RSS MiB', 'after RSS MiB', 'load CPU s', 'load mCPU'],
    processes.map((p) => [
      p.name,
      mb(p.idleRssBytes),
      milli(p.idleCores),
      mb(p.peakRssBytes),
      mb(p.afterRssBytes),
      round(p.cpuSeconds, 1),
      milli(p.cores),
    ]),
  );
  printTable(
    `Per role: ${expected} emails delivered in ${fmt(windowS, 0)} s (${fmt(expected / windowS, 1)}/s); RSS per process, CPU summed over the role's processes`,
    [
      'role',
      'procs',
      'idle RSS MiB',
      'peak RSS MiB',
      'after RSS MiB',
      'CPU ms/msg',
      '(per msgs)',
      'CPU ms/delivered',
      'idle mCPU',
      'load mCPU',
    ],
    roles.map((r) => [
      r.role,
      r.processes,
      mb(r.idleRssBytes),
      mb(r.peakRssBytes),
      mb(r.afterRssBytes),
      round(r.cpuMsPerMessage, 2),
      r.messages,
      round(r.cpuMsPerDelivered, 2),
      milli(r.idleCores),
      milli(r.cores),
    ]),
  );
  printFigures('The load window (first send → last workflow closed) and where the machine went', [
    ['messages through the APIs (202s)', `${answers.accepted}/${messages}`],
    ['records through Kafka', messages],
    ['API sends: rate asked / late starts', `${fmt(half, 1)}/s / ${sent.lateStarts}`],
    ['Kafka records: production took', `${fmt(produced.elapsedMs / 1000, 1)} s`],
    ['window', `${fmt(windowS, 1)} s`],
    ['last send → last completion', `${fmt((lastCompletion - sentAt) / 1000, 1)} s`],
    ['delivered (DeliveryStatus)', `${delivered}/${expected}`],
    ['most workflows running at once (5 s counts)', peakRunning],
    ...bridgeCounts.map((b): [string, string] => [
      `${b.name}: started / dead-lettered`,
      `${b.started} / ${b.deadLettered}`,
    ]),
    ['machine cores (busy / all)', `${fmt(machineBusy, 2)} / ${fmt(machineTotal, 2)}`],
    ['  the roles', fmt(roleCores, 2)],
    ['  the bench client (this process)', fmt(benchCores, 2)],
    ['  the rest (stack servers, sandbox)', fmt(machineBusy - roleCores - benchCores, 2)],
  ]);
  if (delivered !== expected) throw new Error(`${delivered}/${expected} messages delivered`);

  const roundMiB = (bytes: number) => round(mib(bytes), 1);
  writeResult('roles', {
    sizes: {
      messagesThroughApi: messages,
      recordsThroughKafka: messages,
      ratePerSecond: rate,
      emailTopicPartitions: partitions,
      workflowCacheSize: env.WORKFLOW_CACHE_SIZE ?? 'SDK default (heap-based)',
    },
    stack: 'production profile (Temporal on PostgreSQL, 3 Kafka brokers, FerretDB on PostgreSQL); own sandbox',
    window: {
      seconds: round(windowS, 1),
      deliveredPerSecond: round(expected / windowS),
      lastSendToLastCompletionSeconds: round((lastCompletion - sentAt) / 1000, 1),
      apiLateStarts: sent.lateStarts,
      accepted: answers.accepted,
      rejected: answers.others,
      delivered,
      peakRunning,
      running: running.points.map((p) => ({ s: round((p.at - start.at) / 1000, 1), running: p.running })),
      bridges: bridgeCounts,
    },
    processes: processes.map((p) => ({
      name: p.name,
      role: p.role,
      idleRssMiB: roundMiB(p.idleRssBytes),
      idleCores: round(p.idleCores, 3),
      peakRssMiB: roundMiB(p.peakRssBytes),
      afterRssMiB: roundMiB(p.afterRssBytes),
      loadCpuSeconds: round(p.cpuSeconds, 2),
      loadCores: round(p.cores, 3),
    })),
    roles: roles.map((r) => ({
      role: r.role,
      processes: r.processes,
      idleRssMiB: roundMiB(r.idleRssBytes),
      peakRssMiB: roundMiB(r.peakRssBytes),
      afterRssMiB: roundMiB(r.afterRssBytes),
      idleCores: round(r.idleCores, 3),
      loadCpuSeconds: round(r.cpuSeconds, 2),
      loadCores: round(r.cores, 3),
      messages: r.messages,
      cpuMsPerMessage: round(r.cpuMsPerMessage, 2),
      cpuMsPerDelivered: round(r.cpuMsPerDelivered, 2),
    })),
    machine: {
      cores: round(machineTotal, 2),
      busyCores: round(machineBusy, 2),
      roleCores: round(roleCores, 2),
      benchClientCores: round(benchCores, 2),
      restCores: round(machineBusy - roleCores - benchCores, 2),
    },
    samples: samples.map((s) => ({
      s: round((s.at - start.at) / 1000, 1),
      rssMiB: s.rss.map((v) => roundMiB(v)),
      cpuSeconds: s.cpu.map((v, i) => round(v - start.cpu[i]!, 2)),
    })),
    processNames: procs.map((p) => p.instance.name),
  });
});
