import { sleep } from '../load/async';
import { waitForCompleted } from '../load/completion';
import { sendBatch } from '../load/send';
import type { SandboxClient } from '../stack/sandbox-server/client';
import { benchSandbox } from './children';
import { envInt, hex, runBench } from './common';
import { benchEnv, dropBenchDatabase, startDeployment } from './deployment';
import { distribution, fmt, perSecond, printTable, round, writeResult } from './figures';
import { benchChannels, nextWholeMinute, utcWindow } from './profiles';

/**
 * Distinct NANP numbers `+1555` + 7 digits: a random run prefix, then the index, so the sandbox's tally by
 * prefix counts this run's messages only.
 */
function phoneNumbers(count: number) {
  const indexDigits = Math.max(1, String(count - 1).length);
  if (indexDigits > 7) throw new Error('at most 10,000,000 distinct numbers');
  const runDigits = 7 - indexDigits;
  const run = runDigits === 0 ? '' : String(Math.floor(Math.random() * 10 ** runDigits)).padStart(runDigits, '0');
  const prefix = `+1555${run}`;
  return {
    prefix,
    numbers: Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(indexDigits, '0')}`),
  };
}

/** Numbers under a prefix the sandbox has seen nothing for yet (it may be shared: BENCH_SANDBOX_URL). */
async function unusedPhoneNumbers(sandbox: SandboxClient, count: number) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const phones = phoneNumbers(count);
    const { accepted, refused } = await sandbox.tally('sms', phones.prefix);
    if (Object.keys(accepted).length + Object.keys(refused).length === 0) return phones;
  }
  throw new Error('every phone prefix tried already has messages in the sandbox');
}

const smsMessages = (tag: string, phones: string[]) =>
  phones.map((phone, i) => ({
    messageId: `${tag}-${i}`,
    recipient: { phone },
    content: { sms: { body: `Benchmark ${i}: sent when the window opens.` } },
  }));

runBench('window', async (ctx) => {
  const count = envInt('BENCH_WINDOW_MESSAGES', 10_000);
  const smsRate = envInt('BENCH_WINDOW_SMS_RATE', 500);
  const concurrency = envInt('BENCH_CONCURRENCY', 20);
  const openMinutes = envInt('BENCH_WINDOW_OPEN_MINUTES', 60);
  await dropBenchDatabase();
  const sandbox = await benchSandbox(ctx);
  const deployment = await startDeployment(
    ctx,
    benchEnv('window', { ...sandbox.env, SMS_RATE_PER_SECOND: String(smsRate) }),
  );
  const tag = `wi${hex(3)}`;

  // How long starting every workflow takes decides T. Measured on the same path: messages for a window twelve
  // hours away, accepted and planned exactly like the real ones.
  const probeSize = envInt('BENCH_WINDOW_PROBE', Math.min(200, Math.max(20, Math.ceil(count / 20))));
  const later = await deployment.createClient('window-probe', {
    channels: { sms: { ...benchChannels.sms, window: utcWindow(nextWholeMinute(12 * 3_600_000), 3_600_000) } },
  });
  const probe = await sendBatch(
    deployment.api.url,
    later.apiKey,
    smsMessages(`${tag}p`, phoneNumbers(probeSize).numbers),
    { channel: 'sms', concurrency },
  );
  // With margin: acceptance slows once the worker is busy planning the thousands already started. The probe's
  // workflows just wait (12 h); the deployment's cleanup terminates them once they are idle.
  const leadMs =
    envInt('BENCH_WINDOW_LEAD_SECONDS', 0) * 1_000 ||
    Math.ceil((1.5 * count * 1_000) / probe.acceptedPerSecond) + 20_000;
  const opensAt = nextWholeMinute(leadMs);
  ctx.log(
    `acceptance probe: ${fmt(probe.acceptedPerSecond)}/s → the window opens at ${new Date(opensAt).toISOString()}`,
  );

  const { clientId, apiKey } = await deployment.createClient('window', {
    channels: { sms: { ...benchChannels.sms, window: utcWindow(opensAt, openMinutes * 60_000) } },
  });
  const phones = await unusedPhoneNumbers(sandbox.client, count);
  ctx.log(`${count} SMS to ${phones.prefix}… waiting for the window`);
  const sent = await sendBatch(deployment.api.url, apiKey, smsMessages(tag, phones.numbers), {
    channel: 'sms',
    concurrency,
  });
  const sentBy = Date.now();
  const allWaiting = sentBy < opensAt;
  if (!allWaiting)
    ctx.log(`WARNING: the last message was accepted ${fmt((sentBy - opensAt) / 1000)} s after the opening`);
  if (sent.accepted < count) ctx.log(`only ${sent.accepted}/${count} accepted: ${sent.firstErrors.join(' | ')}`);

  const checkAt = opensAt - 1_000;
  if (Date.now() < checkAt) await sleep(checkAt - Date.now());
  const before = await sandbox.client.tally('sms', phones.prefix);
  // Refused requests count too: a refusal is still a provider call made before the window opened.
  const sentBeforeT = [...Object.values(before.accepted), ...Object.values(before.refused)].reduce((a, b) => a + b, 0);
  ctx.log(`1 s before the opening the sandbox has ${sentBeforeT} of them; waiting for all ${sent.accepted}`);

  await waitForCompleted(deployment.temporal, clientId, sent.accepted, ctx.completion);
  const arrivals = [...(await sandbox.client.firstAcceptances('sms', phones.prefix)).values()].sort((a, b) => a - b);
  const first = arrivals[0] ?? NaN;
  const last = arrivals[arrivals.length - 1] ?? NaN;
  const early = arrivals.filter((at) => at < opensAt).length;
  // Arrivals per second after T: shows the ramp, the plateau (the SMS queue's rate limit) and the tail.
  const perSecondSeries: number[] = [];
  for (const at of arrivals) {
    const second = Math.max(0, Math.floor((at - opensAt) / 1000));
    perSecondSeries[second] = (perSecondSeries[second] ?? 0) + 1;
  }
  const series = Array.from(perSecondSeries, (n) => n ?? 0);
  const rateFromT = perSecond(arrivals.length, last - opensAt);
  const delays = distribution(arrivals.map((at) => at - opensAt));

  printTable(
    `${count} SMS waiting for one window (opens ${new Date(opensAt).toISOString()}, SMS_RATE_PER_SECOND=${smsRate})`,
    ['figure', 'value'],
    [
      ['accepted before T', `${sent.accepted}/${count} (${fmt(sent.acceptedPerSecond)}/s)${allWaiting ? '' : ' LATE'}`],
      ['sent before T (tally 1 s before / arrivals before T)', `${sentBeforeT} / ${early}`],
      ['T → first arrival', `${fmt((first - opensAt) / 1000, 2)} s`],
      ['T → last arrival', `${fmt((last - opensAt) / 1000, 2)} s`],
      ['achieved rate from T', `${fmt(rateFromT, 1)}/s (limit ${smsRate}/s)`],
      ['arrived at the sandbox', `${arrivals.length}/${sent.accepted}`],
      [
        'delay after T p50 / p95 / p99',
        `${fmt(delays.p50 / 1000, 2)} / ${fmt(delays.p95 / 1000, 2)} / ${fmt(delays.p99 / 1000, 2)} s`,
      ],
    ],
  );
  const every = Math.max(1, Math.ceil(series.length / 40));
  const shown = series.filter((_, i) => i % every === 0).map((n, i) => `${i * every}:${n}`);
  console.log(`\narrivals per second after T (second:count, every ${every} s):\n  ${shown.join(' ')}`);
  writeResult('window', {
    sizes: { messages: count, smsRatePerSecond: smsRate, concurrency, openMinutes },
    opensAt: new Date(opensAt).toISOString(),
    acceptance: {
      accepted: sent.accepted,
      perSecond: round(sent.acceptedPerSecond),
      probePerSecond: round(probe.acceptedPerSecond),
      allAcceptedBeforeT: allWaiting,
    },
    sentBeforeT: { tallyOneSecondBefore: sentBeforeT, arrivalsBeforeT: early },
    firstArrivalAfterTMs: first - opensAt,
    lastArrivalAfterTMs: last - opensAt,
    achievedPerSecond: round(rateFromT),
    arrived: arrivals.length,
    delayAfterTMs: delays,
    arrivalsPerSecond: series,
  });
});
