import { temporal as proto } from '@temporalio/proto';
import { messageWorkflowId } from '../../src/shared/temporal-names';
import type { MessageStatus } from '../../src/shared/message';
import { pointPostmarkWebhookAt } from '../sandbox-webhook';
import { waitForCompleted } from '../load/completion';
import { sendBatch } from '../load/send';
import { benchSandbox } from './children';
import { envInt, hex, runBench } from './common';
import { benchEnv, dropBenchDatabase, startDeployment } from './deployment';
import { distribution, fmt, printTable, readResult, round, writeResult, type Cell } from './figures';
import { benchChannels, benchEmails } from './profiles';

const { EventType } = proto.api.enums.v1;

/** EVENT_TYPE_ACTIVITY_TASK_SCHEDULED → ActivityTaskScheduled, as the Web UI names events. */
const eventName = (type: proto.api.enums.v1.EventType | null | undefined) =>
  (EventType[type ?? 0] ?? `Event${type}`)
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase()
    .replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());

const textDecoder = new TextDecoder();

/**
 * A local activity leaves one marker and no activity events; Core writes its type in the marker's `data` in
 * plain JSON (only the result goes through the codec). Other markers (patches) are named as such.
 */
function markerName(event: proto.api.history.v1.IHistoryEvent): string | undefined {
  const marker = event.markerRecordedEventAttributes;
  if (!marker) return undefined;
  if (marker.markerName !== 'core_local_activity') return `marker ${marker.markerName}`;
  const data = marker.details?.data?.payloads?.[0];
  const encoding = textDecoder.decode(data?.metadata?.encoding ?? new Uint8Array());
  if (!data?.data || encoding !== 'json/plain') return 'local activity (type not readable)';
  const { activity_type: type } = JSON.parse(textDecoder.decode(data.data)) as { activity_type?: string };
  return `${type ?? '?'} (local)`;
}

interface CaseResult {
  messages: number;
  /** Events per message: total, then by event type and by scheduled activity (means over the messages). */
  eventsPerMessage: ReturnType<typeof distribution>;
  byType: Record<string, number>;
  activities: Record<string, number>;
  finalStates: Record<string, number>;
}

interface HistoryFile {
  label: string | null;
  cases: Record<string, CaseResult>;
}

const mean = (counts: Record<string, number>[], key: string) =>
  round(counts.reduce((sum, c) => sum + (c[key] ?? 0), 0) / counts.length, 2);

runBench('history', async (ctx) => {
  const emails = envInt('BENCH_HISTORY_EMAILS', 3);
  const smsCount = envInt('BENCH_HISTORY_SMS', 1);
  const label = process.env.BENCH_LABEL?.replace(/[^A-Za-z0-9._-]/g, '_');
  const resultFile = label ? `history-${label}` : 'history';
  await dropBenchDatabase();
  // Receipts need the sandbox's Postmark webhook pointed at this run's API: a sandbox of its own, always.
  const sandbox = await benchSandbox(ctx, { ownWebhook: true });

  const cases: Record<string, CaseResult> = {};
  for (const receipts of [false, true]) {
    const env = benchEnv('history', { ...sandbox.env, RECEIPT_WAIT: 'PT60S' });
    const deployment = await startDeployment(ctx, env, { receipts });
    if (receipts) await pointPostmarkWebhookAt(`${deployment.api.url}/v1/callbacks/postmark`, env, sandbox.url);
    const { clientId, apiKey } = await deployment.createClient('history', {
      channels: { email: benchChannels.email, sms: benchChannels.sms },
    });
    const tag = `hi${hex(3)}`;
    const emailMessages = benchEmails(`${tag}e`, emails);
    // Random numbers, none ending 0000: the sandbox never sends a receipt for those.
    const smsMessages = Array.from({ length: smsCount }, (_, i) => ({
      messageId: `${tag}s-${i}`,
      recipient: { phone: `+1555${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}${1 + (i % 9)}` },
      content: { sms: { body: `History benchmark ${i}` } },
    }));
    const sentEmail = await sendBatch(deployment.api.url, apiKey, emailMessages, { concurrency: 5 });
    const sentSms = await sendBatch(deployment.api.url, apiKey, smsMessages, { channel: 'sms', concurrency: 5 });
    await waitForCompleted(deployment.temporal, clientId, sentEmail.accepted + sentSms.accepted, ctx.completion);

    for (const [channel, messages] of [
      ['email', emailMessages],
      ['sms', smsMessages],
    ] as const) {
      if (messages.length === 0) continue;
      const totals: number[] = [];
      const byType: Record<string, number>[] = [];
      const activities: Record<string, number>[] = [];
      const finalStates: Record<string, number> = {};
      for (const { messageId } of messages) {
        const handle = deployment.temporal.workflow.getHandle(messageWorkflowId(clientId, messageId));
        const { events } = await handle.fetchHistory();
        const types: Record<string, number> = {};
        const scheduled: Record<string, number> = {};
        for (const event of events ?? []) {
          const name = eventName(event.eventType);
          types[name] = (types[name] ?? 0) + 1;
          const activity = event.activityTaskScheduledEventAttributes?.activityType?.name ?? markerName(event);
          if (activity) scheduled[activity] = (scheduled[activity] ?? 0) + 1;
        }
        totals.push(events?.length ?? 0);
        byType.push(types);
        activities.push(scheduled);
        const status = (await handle.result()) as MessageStatus;
        for (const c of status.channels) finalStates[c.state] = (finalStates[c.state] ?? 0) + 1;
      }
      const names = (counts: Record<string, number>[]) => [...new Set(counts.flatMap((c) => Object.keys(c)))].sort();
      cases[`${channel}, ${receipts ? 'with receipt' : 'no receipt'}`] = {
        messages: messages.length,
        eventsPerMessage: distribution(totals),
        byType: Object.fromEntries(names(byType).map((n) => [n, mean(byType, n)])),
        activities: Object.fromEntries(names(activities).map((n) => [n, mean(activities, n)])),
        finalStates,
      };
    }
    await deployment.stop();
  }

  const caseNames = Object.keys(cases);
  const rowsOf = (pick: (c: CaseResult) => Record<string, number>) => {
    const keys = [...new Set(caseNames.flatMap((n) => Object.keys(pick(cases[n]!))))].sort();
    return keys.map((key): Cell[] => [key, ...caseNames.map((n) => pick(cases[n]!)[key] ?? 0)]);
  };
  printTable(
    `Temporal history events per single-channel message${label ? ` (${label})` : ''}: mean over the messages`,
    ['event type', ...caseNames],
    [
      ...rowsOf((c) => c.byType),
      ['TOTAL (mean)', ...caseNames.map((n) => round(cases[n]!.eventsPerMessage.mean, 2))],
      ['total min–max', ...caseNames.map((n) => `${cases[n]!.eventsPerMessage.min}–${cases[n]!.eventsPerMessage.max}`)],
    ],
  );
  printTable(
    'Activities per message (local ones counted from their markers)',
    ['activity', ...caseNames],
    rowsOf((c) => c.activities),
  );
  printTable(
    'Final channel states (receipts arrived?)',
    ['case', 'states'],
    caseNames.map((n) => [
      n,
      Object.entries(cases[n]!.finalStates)
        .map(([s, k]) => `${s}: ${k}`)
        .join(', '),
    ]),
  );

  // A before/after pair: BENCH_LABEL=after compares with history-before.json unless BENCH_COMPARE names another.
  const baselineLabel = process.env.BENCH_COMPARE ?? (label === 'after' ? 'before' : undefined);
  const baseline = baselineLabel ? readResult<HistoryFile>(`history-${baselineLabel}`) : undefined;
  if (baselineLabel && !baseline) ctx.log(`no .bench/history-${baselineLabel}.json to compare with`);
  if (baseline) {
    printTable(
      `Events per message: ${baselineLabel} → ${label ?? 'this run'}`,
      ['case', baselineLabel!, label ?? 'now', 'change', 'change %'],
      caseNames.map((n) => {
        const was = baseline.cases[n]?.eventsPerMessage.mean ?? NaN;
        const now = cases[n]!.eventsPerMessage.mean;
        return [n, round(was, 2), round(now, 2), round(now - was, 2), `${fmt((100 * (now - was)) / was, 1)}%`];
      }),
    );
  }
  writeResult(resultFile, { label: label ?? null, sizes: { emails, sms: smsCount }, cases } satisfies Record<
    string,
    unknown
  > &
    HistoryFile);
});
