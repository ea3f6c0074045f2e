import { createServiceMetrics } from '../../src/metrics/service-metrics';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { activityInfo } from '@temporalio/activity';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import pino from 'pino';
import { ensureTemporalTestServer } from '../../scripts/stack/temporal-test-server';
import type { Ack } from '../../src/acks/ack';
import { createActivities } from '../../src/activities';
import type { ChannelWindow, ClientProfile } from '../../src/shared/profile-schema';
import { ProviderError, type EmailProvider } from '../../src/providers/types';
import type { DeliverMessageInput, MessageStatus } from '../../src/shared/message';
import { searchAttributeDeclarations } from '../../src/shared/search-attributes';
import { providerTaskQueue, workflowType } from '../../src/shared/temporal-names';
import { planChannel } from '../../src/windows/channel-plan';
import { cancelUpdate, profileChangedSignal, receiptSignal, statusQuery } from '../../src/workflows/definitions';
import { testWorkflowBundle } from '../support/harness';

const everyDay: NonNullable<ChannelWindow['rules']>[number]['days'] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/** A daily UTC window opening at `opensAt` (rounded down to the minute) for `lengthMs`. */
const dailyWindow = (opensAt: number, lengthMs: number, extra: Partial<ChannelWindow> = {}): ChannelWindow => ({
  rules: [{ days: everyDay, from: hhmm(opensAt), to: hhmm(opensAt + lengthMs) }],
  blackouts: [],
  outside: 'defer',
  ...extra,
});

const profileWith = (window: ChannelWindow | undefined): ClientProfile => ({
  clientId: 'acme',
  name: 'Acme',
  timezone: 'UTC',
  windowClock: 'client',
  allowUrgentBypass: false,
  channels: { email: { enabled: true, from: 'noreply@acme.example', messageStream: 'outbound', window } },
});

/** A provider that fails transiently `failures` times, then accepts; it notes the server time of every call. */
class ScriptedEmailProvider implements EmailProvider {
  readonly channel = 'email';
  readonly name = 'scripted';
  calls: number[] = [];
  constructor(private failures = 0) {}
  send() {
    this.calls.push(activityInfo().currentAttemptScheduledTimestampMs);
    if (this.calls.length <= this.failures) {
      return Promise.reject(
        new ProviderError('503 from the provider', {
          channel: 'email',
          provider: 'scripted',
          permanent: false,
          status: 503,
        }),
      );
    }
    return Promise.resolve({ providerMessageId: `pm-${this.calls.length}`, acceptedAt: new Date().toISOString() });
  }
}

describe('deliverMessage with time skipping (Temporal test server)', function () {
  this.timeout(180_000);
  let env: TestWorkflowEnvironment;
  let profile: ClientProfile;
  let provider: ScriptedEmailProvider;
  let acks: Ack[];
  let taskQueue: string;
  let workers: Worker[];
  let running: Promise<unknown>;

  before(async () => {
    const executable = await ensureTemporalTestServer();
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: executable } },
    });
    // The test server starts with no custom search attributes; the workflow keeps DeliveryStatus current.
    const { INDEXED_VALUE_TYPE_KEYWORD, INDEXED_VALUE_TYPE_KEYWORD_LIST } = temporal.api.enums.v1.IndexedValueType;
    await env.connection.operatorService.addSearchAttributes({
      namespace: 'default',
      searchAttributes: Object.fromEntries(
        searchAttributeDeclarations.map((declaration) => {
          const [name, type] = declaration.split('=');
          return [name, type === 'KeywordList' ? INDEXED_VALUE_TYPE_KEYWORD_LIST : INDEXED_VALUE_TYPE_KEYWORD];
        }),
      ),
    });
  });

  after(async () => {
    await env?.teardown();
  });

  beforeEach(async () => {
    taskQueue = `wf-${randomUUID()}`;
    provider = new ScriptedEmailProvider();
    acks = [];
    const activities = createActivities({
      findProfile: () => Promise.resolve(profile),
      writeDeliveryRecord: () => Promise.resolve(),
      email: { channel: 'email', name: 'scripted', send: () => provider.send() },
      publishAck: (ack) => {
        acks.push(ack);
        return Promise.resolve();
      },
      receipts: { publicBaseUrl: 'http://127.0.0.1:1', waitMs: 10 * MINUTE, email: true },
      logger: pino({ level: 'silent' }),
      metrics: createServiceMetrics(),
    });
    const { sendEmail, ...bookkeeping } = activities;
    workers = await Promise.all([
      Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle: await testWorkflowBundle(),
        activities: bookkeeping,
      }),
      Worker.create({
        connection: env.nativeConnection,
        taskQueue: providerTaskQueue(taskQueue, 'email'),
        activities: { sendEmail },
      }),
    ]);
    running = Promise.all(workers.map((w) => w.run()));
  });

  afterEach(async () => {
    for (const w of workers) w.shutdown();
    await running;
  });

  /**
   * Starts a message as acceptance does: with the profile and the plan it made (`prepared`), unless `older`
   * asks for the input of messages accepted before that, which a deploy finds still running.
   */
  async function start(overrides: Partial<DeliverMessageInput> = {}, { older = false } = {}) {
    const now = await env.currentTimeMs();
    const messageId = randomUUID();
    const input: DeliverMessageInput = {
      clientId: 'acme',
      messageId,
      channels: ['email'],
      rejected: [],
      recipient: { email: 'dana@example.com' },
      content: { email: { subject: 'Shipped', text: 'Your order shipped' } },
      priority: 'normal',
      acceptedAt: new Date(now).toISOString(),
      requestHash: 'h',
      acceptance: [],
      ...overrides,
    };
    if (!older) {
      const plan = planChannel({ ...input, profile, channel: 'email', recipientTimezone: undefined, now });
      input.prepared = { profile, plans: [{ channel: 'email', plan }] };
    }
    return env.client.workflow.start(workflowType, { workflowId: `msg:acme:${messageId}`, taskQueue, args: [input] });
  }

  /** The summaries of the local activities in a workflow's history, in order. */
  const localActivitySteps = async (handle: Awaited<ReturnType<typeof start>>) => {
    const { events } = await handle.fetchHistory();
    return (events ?? [])
      .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')
      .map((e) => {
        const data = e.userMetadata?.summary?.data;
        return data ? (JSON.parse(Buffer.from(data).toString()) as string) : '';
      });
  };

  const waitingStatus = async (handle: Awaited<ReturnType<typeof start>>) => {
    for (let i = 0; i < 100; i++) {
      const status = await handle.query(statusQuery);
      if (status.channels[0]?.window) return status;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the workflow never reported its wait');
  };

  it('a message sent outside its window waits until the opening, then is sent', async () => {
    const now = await env.currentTimeMs();
    const opensAt = Math.floor((now + 3 * HOUR) / MINUTE) * MINUTE;
    profile = profileWith(dailyWindow(opensAt, HOUR));
    const handle = await start();
    const waiting = await waitingStatus(handle);
    assert.equal(waiting.channels[0]?.notBefore, new Date(opensAt).toISOString());

    const result: MessageStatus = await handle.result();
    assert.equal(result.channels[0]?.state, 'sent');
    assert.equal(provider.calls.length, 1);
    assert.ok(provider.calls[0]! >= opensAt, 'not sent before the opening');
    assert.ok(provider.calls[0]! < opensAt + HOUR, 'sent inside the window');
  });

  it('a message accepted before `prepared` existed reads its profile, plans, waits and settles the older way', async () => {
    const now = await env.currentTimeMs();
    const opensAt = Math.floor((now + 3 * HOUR) / MINUTE) * MINUTE;
    profile = profileWith(dailyWindow(opensAt, HOUR));
    const handle = await start({}, { older: true });
    assert.equal((await waitingStatus(handle)).channels[0]?.notBefore, new Date(opensAt).toISOString());
    const result: MessageStatus = await handle.result();
    assert.equal(result.channels[0]?.state, 'sent');
    assert.ok(provider.calls[0]! >= opensAt, 'not sent before the opening');
    const steps = await localActivitySteps(handle);
    assert.deepEqual(steps.slice(0, 2), ['profile of acme', 'email window']);
    assert.ok(steps.includes('record email sent') && steps.includes('ack email sent on Kafka'), steps.join(' | '));
    assert.equal(acks.length, 1);
  });

  it('a message sent at once takes its plan from acceptance and records and acks in one step', async () => {
    profile = profileWith(undefined);
    const handle = await start();
    await handle.signal(receiptSignal, { channel: 'email', providerMessageId: 'pm-1', outcome: 'delivered' });
    const result: MessageStatus = await handle.result();
    assert.equal(result.channels[0]?.state, 'delivered');
    assert.deepEqual(await localActivitySteps(handle), ['record email delivered, ack on Kafka']);
    assert.deepEqual(
      acks.map((a) => a.state),
      ['delivered'],
    );
  });

  it('a next opening past maxDefer ends the channel expired at once, without waiting', async () => {
    const now = await env.currentTimeMs();
    profile = profileWith(dailyWindow(now + 3 * HOUR, HOUR, { maxDefer: 'PT1H' }));
    const result: MessageStatus = await (await start()).result();
    assert.equal(result.channels[0]?.state, 'expired');
    assert.match(result.channels[0]?.lastError ?? '', /maxDefer PT1H/);
    assert.equal(provider.calls.length, 0);
    const expiredAt = Date.parse(result.channels[0]?.updatedAt ?? '');
    assert.ok(expiredAt - Date.parse(result.acceptedAt) < MINUTE, 'no time was spent waiting');
  });

  it('expiresAt reached while waiting ends the channel expired', async () => {
    const now = await env.currentTimeMs();
    profile = profileWith(dailyWindow(now + 3 * HOUR, HOUR));
    const handle = await start({ expiresAt: new Date(now + 2 * HOUR).toISOString() });
    const result: MessageStatus = await handle.result();
    assert.equal(result.channels[0]?.state, 'expired');
    assert.equal(provider.calls.length, 0);
  });

  it('cancel while waiting ends the channel cancelled and nothing is sent', async () => {
    const now = await env.currentTimeMs();
    profile = profileWith(dailyWindow(now + 3 * HOUR, HOUR));
    const handle = await start();
    await waitingStatus(handle);
    const afterCancel = await handle.executeUpdate(cancelUpdate);
    assert.equal(afterCancel.channels[0]?.state, 'cancelled');
    const result: MessageStatus = await handle.result();
    assert.equal(result.state, 'cancelled');
    assert.equal(provider.calls.length, 0);
  });

  it('a profile change while waiting moves the wake-up', async () => {
    const now = await env.currentTimeMs();
    const lateOpening = Math.floor((now + 5 * HOUR) / MINUTE) * MINUTE;
    const earlyOpening = Math.floor((now + HOUR) / MINUTE) * MINUTE;
    profile = profileWith(dailyWindow(lateOpening, HOUR));
    const handle = await start();
    assert.equal((await waitingStatus(handle)).channels[0]?.notBefore, new Date(lateOpening).toISOString());

    profile = profileWith(dailyWindow(earlyOpening, HOUR));
    await handle.signal(profileChangedSignal);
    const result: MessageStatus = await handle.result();
    assert.equal(result.channels[0]?.state, 'sent');
    assert.ok(provider.calls[0]! >= earlyOpening && provider.calls[0]! < lateOpening, 'woke at the new opening');
  });

  it('when the window closes during retries, the next attempt waits for the next opening', async () => {
    const now = await env.currentTimeMs();
    const opensAt = Math.ceil(now / MINUTE) * MINUTE + MINUTE;
    const length = 6 * MINUTE;
    profile = profileWith(dailyWindow(opensAt, length));
    // Start 30 s into the window: retries 1, 2, 4 … 120 s apart put call 10 at about 4 min (inside) and
    // attempt 11 at about 6 min (after the close, 5.5 min in).
    await env.sleep(opensAt + 30_000 - now);
    provider = new ScriptedEmailProvider(10);
    const result: MessageStatus = await (await start()).result();

    const [email] = result.channels;
    assert.equal(email?.state, 'sent');
    assert.equal(email?.attempts, 11);
    const nextOpening = opensAt + 24 * HOUR;
    const inAWindow = (t: number) =>
      (t >= opensAt && t < opensAt + length) || (t >= nextOpening && t < nextOpening + length);
    assert.ok(provider.calls.every(inAWindow), 'every provider call falls inside a window');
    assert.equal(provider.calls.length, 11);
    assert.ok(provider.calls[10]! >= nextOpening, 'the attempt after the close waited for the next opening');
  });

  it("with outside: 'reject', a window that closes during retries still makes the next attempt wait", async () => {
    const now = await env.currentTimeMs();
    const opensAt = Math.ceil(now / MINUTE) * MINUTE + MINUTE;
    const length = 6 * MINUTE;
    profile = profileWith(dailyWindow(opensAt, length, { outside: 'reject' }));
    // As above: attempt 11 comes after the close.
    await env.sleep(opensAt + 30_000 - now);
    provider = new ScriptedEmailProvider(10);
    const result: MessageStatus = await (await start()).result();
    assert.equal(result.channels[0]?.state, 'sent');
    assert.ok(provider.calls[10]! >= opensAt + 24 * HOUR, 'the attempt after the close waited for the next opening');
  });

  it("a profile change to outside: 'reject' ends a waiting channel rejected, with the reason", async () => {
    const now = await env.currentTimeMs();
    const opening = Math.floor((now + 3 * HOUR) / MINUTE) * MINUTE;
    profile = profileWith(dailyWindow(opening, HOUR));
    const handle = await start();
    await waitingStatus(handle);
    profile = profileWith(dailyWindow(opening, HOUR, { outside: 'reject' }));
    await handle.signal(profileChangedSignal);
    const result: MessageStatus = await handle.result();
    assert.equal(result.channels[0]?.state, 'rejected');
    assert.match(result.channels[0]?.lastError ?? '', /client rejects rather than defers/);
    assert.equal(provider.calls.length, 0);
  });

  it('without a receipt, a sent channel settles on sent once RECEIPT_WAIT has passed', async () => {
    profile = profileWith(undefined);
    const startedAt = await env.currentTimeMs();
    const handle = await start();
    const result: MessageStatus = await handle.result();
    assert.equal(result.channels[0]?.state, 'sent');
    assert.ok((await env.currentTimeMs()) >= startedAt + 10 * MINUTE, 'the workflow waited RECEIPT_WAIT');
    const waited = Date.parse(result.channels[0].updatedAt) - Date.parse(result.acceptedAt);
    assert.ok(waited < MINUTE, 'sent is recorded when the provider accepted');
    assert.equal(acks.length, 1);
    assert.equal(acks[0]?.state, 'sent');
  });

  it('a receipt for the sent message moves it to delivered; one for another message is ignored', async () => {
    profile = profileWith(undefined);
    const handle = await start();
    for (let i = 0; i < 100; i++) {
      if ((await handle.query(statusQuery)).channels[0]?.state === 'sent') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await handle.signal(receiptSignal, { channel: 'email', providerMessageId: 'someone-else', outcome: 'failed' });
    await handle.signal(receiptSignal, { channel: 'email', providerMessageId: 'pm-1', outcome: 'delivered' });
    const result: MessageStatus = await handle.result();
    assert.equal(result.channels[0]?.state, 'delivered');
    assert.deepEqual(
      acks.map((a) => a.state),
      ['delivered'],
    );
  });
});
