import type { Kafka } from 'kafkajs';
import { loadConfig } from '../../src/config';
import { createKafka, ensureTopics } from '../../src/kafka/kafka-client';
import { startBridge } from '../../src/kafka-bridge/main';
import { once, sleep, withTimeout } from '../load/async';
import { waitForCompleted } from '../load/completion';
import { bridgeEnv, bridgeTopics, produceInOrder } from '../load/kafka';
import { metricSum } from '../load/metrics';
import { sendBatch } from '../load/send';
import { benchSandbox } from './children';
import { envInt, hex, runBench, type BenchContext } from './common';
import { benchEnv, deleteTopicsAtEnd, dropBenchDatabase, startDeployment } from './deployment';
import { fmt, perSecond, printFigures, printTable, round, writeResult } from './figures';
import { benchChannels, benchEmails } from './profiles';

async function produceUpFront(kafka: Kafka, topic: string, values: unknown[]) {
  const records = values.map((value) => ({ value: JSON.stringify(value) }));
  const { elapsedMs } = await produceInOrder(kafka, topic, records, 500);
  return { recordsPerSecond: round(perSecond(values.length, elapsedMs)) };
}

/**
 * The baseline: a kafkajs consumer that only reads and commits (auto-commit after each batch), in a group of
 * its own on the same topic; timed from its group join, like the bridge.
 */
async function bareConsumer(ctx: BenchContext, kafka: Kafka, topic: string, groupId: string, records: number) {
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, sessionTimeout: 30_000 });
  const disconnect = once(() => consumer.disconnect());
  ctx.defer('disconnect the bare consumer', disconnect);
  let joinedAt: number | undefined;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joinedAt ??= Date.now();
  });
  let seen = 0;
  let finish: (at: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (finish = resolve));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: () => {
      if (++seen === records) finish(Date.now());
      return Promise.resolve();
    },
  });
  const doneAt = await withTimeout(finished, 300_000, `the bare consumer reading ${records} records`);
  await disconnect();
  const from = joinedAt ?? doneAt;
  return { records, elapsedMs: doneAt - from, recordsPerSecond: round(perSecond(records, doneAt - from)) };
}

runBench('kafka', async (ctx) => {
  const records = envInt('BENCH_MESSAGES', 2000);
  const concurrency = envInt('BENCH_CONCURRENCY', 20);
  const stallMs = envInt('BENCH_STALL_SECONDS', 120) * 1_000;
  await dropBenchDatabase();

  const prefix = `bench.kafka.${hex(4)}`;
  const topics = bridgeTopics(prefix);
  const sandbox = await benchSandbox(ctx);
  const env = benchEnv('kafka', { ...sandbox.env, ...bridgeEnv(topics) });
  const bareGroup = `${prefix}.bare`;
  const kafka = createKafka(loadConfig(env));
  deleteTopicsAtEnd(ctx, env, [topics.messages, topics.sms, topics.email, topics.push, topics.dlq]);
  ctx.defer('delete the consumer groups', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([bareGroup, topics.groupId]).catch(() => undefined);
    await admin.disconnect();
  });

  const deployment = await startDeployment(ctx, env);
  const { clientId, apiKey } = await deployment.createClient('kafka', { channels: { email: benchChannels.email } });
  const tag = `ka${hex(3)}`;
  await ensureTopics(kafka.admin(), [topics.email]);
  const produced = await produceUpFront(
    kafka,
    topics.email,
    benchEmails(`${tag}k`, records).map((m) => ({ clientId, ...m })),
  );
  ctx.log(`${records} records on ${topics.email} (produced at ${fmt(produced.recordsPerSecond)}/s)`);

  ctx.log('baseline: a bare consumer reads and commits them');
  const bare = await bareConsumer(ctx, kafka, topics.email, bareGroup, records);

  ctx.log('the bridge turns them into workflows');
  const bridge = await startBridge(env);
  const stopBridge = once(() => bridge.stop());
  ctx.defer('stop the bridge', stopBridge);
  while (
    !(await fetch(`${bridge.url}/health/ready`)
      .then((r) => r.ok)
      .catch(() => false))
  )
    await sleep(100);
  const readyAt = Date.now();
  // One scrape a second: each computes the lag (committed offsets against partition ends) on the broker.
  const series: { s: number; lag: number; started: number }[] = [];
  let doneAt: number | undefined;
  let dlq = 0;
  let movedAt = readyAt;
  while (doneAt === undefined) {
    const text = await (await fetch(`${bridge.url}/metrics`)).text();
    const now = Date.now();
    const started = metricSum(text, 'bridge_records_total', { topic: topics.email, outcome: 'started' });
    const settled = metricSum(text, 'bridge_records_total', { topic: topics.email });
    dlq = metricSum(text, 'bridge_records_total', { topic: topics.email, outcome: 'dead_lettered' });
    const lag = metricSum(text, 'bridge_consumer_lag', { topic: topics.email });
    const previous = series[series.length - 1];
    series.push({ s: round((now - readyAt) / 1000, 1), lag, started });
    if (previous === undefined || started > previous.started) movedAt = now;
    if (settled >= records) {
      // Between two scrapes the rate is steady enough to place the last start within the second.
      const before = previous ?? { s: 0, started: 0 };
      const fraction = started > before.started ? (records - before.started) / (started - before.started) : 1;
      doneAt = readyAt + 1000 * (before.s + fraction * (series[series.length - 1]!.s - before.s));
    } else if (now - movedAt > stallMs) {
      throw new Error(`the bridge is stuck at ${started}/${records} started`);
    } else {
      await sleep(Math.max(0, 1000 - (Date.now() - now)));
    }
  }
  const bridgeRate = perSecond(records, doneAt - readyAt);
  // Both paths measure from a quiet system: the bridge's workflows finish before the API's start.
  await waitForCompleted(deployment.temporal, clientId, records, ctx.completion);
  await stopBridge();

  ctx.log(`the API path: ${records} POST /v1/messages/email, ${concurrency} in flight`);
  const api = await sendBatch(deployment.api.url, apiKey, benchEmails(`${tag}a`, records), { concurrency });
  await waitForCompleted(deployment.temporal, clientId, records + api.accepted, ctx.completion);

  const lagEvery = Math.max(1, Math.ceil(series.length / 30));
  const lagLine = series
    .filter((_, i) => i % lagEvery === 0 || i === series.length - 1)
    .map((p) => `${fmt(p.s, 0)}s:${p.lag}`)
    .join(' ');
  printTable(
    `Kafka: ${records} records produced up front to ${topics.email}, vs the Send API (${concurrency} in flight)`,
    ['path', 'records/s', 'elapsed s'],
    [
      ['bare kafkajs consumer (read + commit)', bare.recordsPerSecond, bare.elapsedMs / 1000],
      ['bridge: record → started workflow', round(bridgeRate), (doneAt - readyAt) / 1000],
      ['Send API: 202s/s', round(api.acceptedPerSecond), api.elapsedMs / 1000],
    ],
  );
  printFigures('Ratios (same run, same stack)', [
    ['bridge / Send API', round(bridgeRate / api.acceptedPerSecond, 3)],
    ['bridge / bare consumer', round(bridgeRate / bare.recordsPerSecond, 3)],
    ['dead-lettered by the bridge', dlq],
    ['Send API 202s', `${api.accepted}/${records}`],
  ]);
  console.log(`\nconsumer lag of the bridge's group over time (seconds since ready: lag):\n  ${lagLine}`);

  writeResult('kafka', {
    sizes: { records, concurrency },
    produced,
    bareConsumer: bare,
    bridge: {
      records,
      elapsedMs: Math.round(doneAt - readyAt),
      startedPerSecond: round(bridgeRate),
      deadLettered: dlq,
      lagSeries: series,
    },
    sendApi: {
      messages: records,
      accepted: api.accepted,
      rejected: api.others,
      acceptedPerSecond: round(api.acceptedPerSecond),
      elapsedMs: api.elapsedMs,
    },
    ratios: {
      bridgeOverSendApi: round(bridgeRate / api.acceptedPerSecond, 3),
      bridgeOverBareConsumer: round(bridgeRate / bare.recordsPerSecond, 3),
    },
  });
});
