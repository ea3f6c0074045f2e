import { waitForCompleted } from '../load/completion';
import { answerSummary, mapAtRate, postMessage, sendBatch } from '../load/send';
import type { CeilingResult } from './ceiling';
import { benchSandbox } from './children';
import { envInt, envNumber, hex, runBench } from './common';
import { benchEnv, dropBenchDatabase, startDeployment } from './deployment';
import { distribution, fmt, perSecond, printFigures, printTable, readResult, round, writeResult } from './figures';
import { benchChannels, benchEmails } from './profiles';

runBench('latency', async (ctx) => {
  const durationS = envInt('BENCH_LATENCY_SECONDS', 60);
  const fraction = envNumber('BENCH_LATENCY_FRACTION', 0.5);
  const probeSize = envInt('BENCH_LATENCY_PROBE', 200);
  const concurrency = envInt('BENCH_CONCURRENCY', 20);
  await dropBenchDatabase();
  const sandbox = await benchSandbox(ctx);
  const deployment = await startDeployment(ctx, benchEnv('latency', sandbox.env));
  const { clientId, apiKey } = await deployment.createClient('latency', { channels: { email: benchChannels.email } });
  const prefix = `la${hex(3)}`;

  // The maximum end-to-end rate: given, measured by ceiling.ts, or measured here with a short closed-loop burst.
  const fromCeiling = readResult<CeilingResult>('ceiling')?.e2e.completedPerSecond;
  const given = process.env.BENCH_LATENCY_MAX_RATE ? envNumber('BENCH_LATENCY_MAX_RATE', 1) : undefined;
  let maxRate: number;
  let maxRateSource: string;
  let completed = 0;
  if (given !== undefined) {
    [maxRate, maxRateSource] = [given, 'BENCH_LATENCY_MAX_RATE'];
  } else if (fromCeiling !== undefined && process.env.BENCH_LATENCY_PROBE === undefined) {
    [maxRate, maxRateSource] = [fromCeiling, '.bench/ceiling.json (e2e completed/s)'];
  } else {
    ctx.log(`measuring the maximum rate: ${probeSize} emails, ${concurrency} in flight`);
    const probe = await sendBatch(deployment.api.url, apiKey, benchEmails(`${prefix}p`, probeSize), { concurrency });
    const { at } = await waitForCompleted(deployment.temporal, clientId, probe.accepted, ctx.completion);
    completed += probe.accepted;
    [maxRate, maxRateSource] = [perSecond(probe.accepted, at - probe.started), `probe of ${probeSize} emails`];
  }
  const rate = maxRate * fraction;
  const count = Math.max(1, Math.round(rate * durationS));

  // Warm (JIT, connections, worker caches) before the timed run, so the first seconds do not skew the tail.
  const warm = await sendBatch(deployment.api.url, apiKey, benchEmails(`${prefix}w`, 20), { concurrency: 5 });
  completed += warm.accepted;
  await waitForCompleted(deployment.temporal, clientId, completed, ctx.completion);

  ctx.log(`${count} emails at ${fmt(rate, 2)}/s (${fraction} × ${fmt(maxRate, 2)}/s) for ${durationS} s`);
  const batch = benchEmails(prefix, count);
  const sent = await mapAtRate(batch, rate, (m) => postMessage(deployment.api.url, apiKey, 'email', m));
  const summary = answerSummary(sent.results);
  await waitForCompleted(deployment.temporal, clientId, completed + summary.accepted, ctx.completion);

  const arrivals = await sandbox.client.firstAcceptances('email', `${prefix}-`);
  const latencies: number[] = [];
  let missing = 0;
  batch.forEach((m, i) => {
    const answer = sent.results[i]!;
    if (answer.status !== 202) return;
    const arrived = arrivals.get(m.recipient.email.toLowerCase());
    if (arrived === undefined) missing++;
    else latencies.push(arrived - answer.answeredAt);
  });
  const d = distribution(latencies);
  const answerTimes = distribution(sent.results.map((a) => a.answeredAt - a.sentAt));

  printTable(
    `Latency from the 202 to the sandbox receiving the email, at ${fmt(rate, 2)}/s for ${durationS} s`,
    ['', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'mean ms', 'n'],
    [
      ['202 → sandbox', d.p50, d.p95, d.p99, d.max, round(d.mean, 1), d.count],
      [
        'request → 202 (for reference)',
        answerTimes.p50,
        answerTimes.p95,
        answerTimes.p99,
        answerTimes.max,
        round(answerTimes.mean, 1),
        answerTimes.count,
      ],
    ],
  );
  printFigures('Load', [
    ['maximum e2e rate', `${fmt(maxRate, 2)}/s from ${maxRateSource}`],
    ['target rate', `${fmt(rate, 2)}/s`],
    ['achieved send rate', `${fmt(perSecond(count, sent.elapsedMs), 2)}/s`],
    ['sends started > 100 ms late', sent.lateStarts],
    ['202 answers', `${summary.accepted}/${count}`],
    ['accepted but not at the sandbox', missing],
  ]);
  writeResult('latency', {
    sizes: { durationS, fraction, messages: count },
    maxRate: { perSecond: round(maxRate), source: maxRateSource },
    targetPerSecond: round(rate),
    achievedPerSecond: round(perSecond(count, sent.elapsedMs)),
    lateStarts: sent.lateStarts,
    accepted: summary.accepted,
    rejected: summary.others,
    missingAtSandbox: missing,
    acceptToSandboxMs: d,
    requestToAcceptMs: answerTimes,
  });
});
