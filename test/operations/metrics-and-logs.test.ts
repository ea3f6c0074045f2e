import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSmsClient, emailChannel, smsChannel, uniqueId } from '../support/clients';
import { call, eventually } from '../support/http';
import { bridgeEnv, bridgeTopics, produce } from '../support/kafka';
import { metricSum, spawnService, type ServiceProcess } from '../support/service-process';
import { webhookReceiver } from '../support/webhook';

const scrape = async (service: ServiceProcess) => (await fetch(`${service.url}/metrics`)).text();

/**
 * The API, a worker and a bridge as production starts them, each in a process of its own with its own task
 * queue: what each `/metrics` counts and each prints is only what this test did.
 */
describe('operations: every process exports metrics and prints one log format', () => {
  const logs = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-logs-'));
  const logFile = (kind: string) => path.join(logs, `${kind}.log`);
  const taskQueue = `ops-${randomBytes(4).toString('hex')}`;
  const topics = bridgeTopics();
  const phone = `+1555${String(Date.now() % 10_000_000).padStart(7, '0')}`;
  const email = `${uniqueId('ops')}@example.com`;
  const requestId = `ops-request-${randomBytes(4).toString('hex')}`;
  const services: ServiceProcess[] = [];
  let api: ServiceProcess;
  let worker: ServiceProcess;
  let bridge: ServiceProcess;
  let hooks: Awaited<ReturnType<typeof webhookReceiver>>;
  let client: { clientId: string; apiKey: string };
  let smsMessageId: string;
  let badRequest: Awaited<ReturnType<typeof call>>;

  before(async function () {
    this.timeout(180_000);
    hooks = await webhookReceiver([500]);
    const env = { TEMPORAL_TASK_QUEUE: taskQueue, EMAIL_RATE_PER_SECOND: '10' };
    api = await spawnService('api', env, logFile('api'));
    services.push(api);
    [worker, bridge] = await Promise.all([
      spawnService('worker', { ...env, PUBLIC_BASE_URL: api.url, RECEIPT_WAIT: 'PT20S' }, logFile('worker')),
      spawnService('bridge', { ...env, ...bridgeEnv(topics) }, logFile('bridge')),
    ]);
    services.push(worker, bridge);
    client = await createSmsClient({
      channels: { ...smsChannel, ...emailChannel },
      webhook: { url: hooks.url, secret: 'ops-webhook-secret' },
    });

    // An SMS through the API (its receipt comes back to this API), an email from Kafka, one refused request.
    smsMessageId = uniqueId('ops-sms');
    const sent = await call('POST', '/v1/messages/sms', {
      baseUrl: api.url,
      key: client.apiKey,
      headers: { 'x-request-id': requestId },
      body: { messageId: smsMessageId, recipient: { phone }, content: { sms: { body: 'Your code is 424242' } } },
    });
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    assert.equal(sent.headers.get('x-request-id'), requestId);
    await produce(topics.email, [
      {
        value: JSON.stringify({
          clientId: client.clientId,
          messageId: uniqueId('ops-email'),
          recipient: { email },
          content: { email: { subject: 'Shipped', text: 'Your parcel is on its way' } },
        }),
      },
    ]);
    badRequest = await call('POST', '/v1/messages', {
      baseUrl: api.url,
      key: client.apiKey,
      headers: { 'x-request-id': 'not "sane"' },
      body: { recipient: { phone: 'not a phone' } },
    });
    const status = await eventually(
      async () => {
        const body = (await call('GET', `/v1/messages/${smsMessageId}`, { baseUrl: api.url, key: client.apiKey })).body;
        return body?.state === 'delivered' ? body : undefined;
      },
      'the SMS delivered',
      60_000,
    );
    assert.equal(status.state, 'delivered');
    // Both channels' acks reached the webhook (the first attempt was refused with a 500 and retried).
    await eventually(
      () => Promise.resolve(hooks.received.length >= 3 ? true : undefined),
      'three webhook requests',
      60_000,
    );
  });

  after(async () => {
    await Promise.all(services.map((s) => s.kill('SIGTERM')));
    hooks?.close();
  });

  it('the API counts what it accepted, served and received', async () => {
    const text = await scrape(api);
    assert.equal(metricSum(text, 'communication_messages_accepted_total', { channel: 'sms', source: 'api' }), 1);
    assert.equal(metricSum(text, 'communication_messages_accepted_total', { source: 'kafka' }), 0);
    const requests = (labels: Record<string, string>) =>
      metricSum(text, 'communication_http_request_duration_seconds_count', labels);
    assert.equal(requests({ method: 'POST', route: '/v1/messages/sms', status: '202' }), 1);
    assert.equal(requests({ method: 'POST', route: '/v1/messages', status: '400' }), 1);
    assert.ok(requests({ method: 'GET', route: '/v1/messages/:messageId', status: '200' }) >= 1);
    assert.equal(metricSum(text, 'communication_receipts_total', { provider: 'twilio', state: 'delivered' }), 1);
    // No client label unless a client is named in METRICS_CLIENT_LABELS.
    assert.ok(!text.includes(client.clientId));
  });

  it('the bridge counts the record it accepted', async () => {
    const text = await scrape(bridge);
    assert.equal(metricSum(text, 'communication_messages_accepted_total', { channel: 'email', source: 'kafka' }), 1);
    assert.equal(metricSum(text, 'bridge_records_total', { topic: topics.email, outcome: 'started' }), 1);
  });

  it("the worker counts provider calls, outcomes, latencies, acks and webhooks, with the SDK's metrics beside them", async () => {
    const text = await scrape(worker);
    const count = (name: string, labels: Record<string, string>) => metricSum(text, name, labels);
    const providerCalls = 'communication_provider_request_duration_seconds_count';
    assert.equal(count(providerCalls, { provider: 'twilio', outcome: 'ok' }), 1);
    assert.equal(count(providerCalls, { provider: 'postmark', outcome: 'ok' }), 1);
    // Each channel settles once: with a receipt, at delivered (the sent before it is in its history).
    assert.equal(count('communication_channel_outcomes_total', { channel: 'sms', state: 'delivered' }), 1);
    assert.equal(count('communication_channel_outcomes_total', { channel: 'email', state: 'delivered' }), 1);
    assert.equal(count('communication_channel_outcomes_total', { state: 'sent' }), 0);
    assert.equal(count('communication_acceptance_to_provider_seconds_count', { channel: 'sms' }), 1);
    assert.equal(count('communication_window_wait_seconds_count', { channel: 'sms' }), 1);
    assert.equal(count('communication_window_wait_seconds_count', { channel: 'email' }), 1);
    assert.equal(count('communication_acks_published_total', { outcome: 'ok' }), 2);
    assert.equal(count('communication_webhook_deliveries_total', { outcome: 'retryable' }), 1);
    assert.equal(count('communication_webhook_deliveries_total', { outcome: 'ok' }), 2);

    // The SDK's own, from Core's exporter, on the same route: slots, pollers, sticky cache, schedule-to-start.
    const ours = `task_queue="${taskQueue}"`;
    for (const name of [
      'temporal_worker_task_slots_available',
      'temporal_num_pollers',
      'temporal_sticky_cache_size',
      'temporal_workflow_task_schedule_to_start_latency_seconds_bucket',
      'temporal_activity_schedule_to_start_latency_seconds_bucket',
    ]) {
      assert.ok(
        text
          .split('\n')
          .some((line) => line.startsWith(`${name}{`) && (name.includes('sticky') || line.includes(ours))),
        `${name} for ${taskQueue}`,
      );
    }
  });

  it('every line every process printed is one pino JSON shape, with request and workflow ids, and no recipient', async () => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const lines = ['api', 'worker', 'bridge'].flatMap((kind) =>
      fs
        .readFileSync(logFile(kind), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => ({ kind, line })),
    );
    assert.ok(lines.length > 10);
    const entries = lines.map(({ kind, line }) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        assert.fail(`the ${kind} printed a line that is not JSON: ${line}`);
      }
      for (const [field, type] of Object.entries({
        level: 'number',
        time: 'number',
        pid: 'number',
        msg: 'string',
        name: 'string',
      }))
        assert.equal(typeof entry[field], type, `${field} of ${line}`);
      assert.ok(!line.includes(phone.slice(2)) && !line.includes(email), `a recipient in ${line}`);
      assert.ok(!line.includes('424242') && !line.includes('parcel is on its way'), `a message body in ${line}`);
      if (entry.messageId !== undefined) assert.ok(entry.workflowId !== undefined, `no workflowId in ${line}`);
      return entry;
    });

    const accessLines = entries.filter((e) => e.msg === 'request' && e.name === 'api');
    const send = accessLines.find((e) => e.route === '/v1/messages/sms');
    assert.deepEqual(
      { requestId: send?.requestId, status: send?.status, clientId: send?.clientId, messageId: send?.messageId },
      { requestId, status: 202, clientId: client.clientId, messageId: smsMessageId },
    );
    assert.equal(send?.workflowId, `msg:${client.clientId}:${smsMessageId}`);
    assert.equal(typeof send?.durationMs, 'number');
    // An unsafe X-Request-Id is replaced, and the error body names the id the access log has.
    const refused = accessLines.find((e) => e.status === 400);
    assert.match(String(refused?.requestId), /^[0-9a-f-]{36}$/);
    assert.equal(badRequest.headers.get('x-request-id'), refused?.requestId);
    assert.equal((badRequest.body as { error: { requestId?: string } }).error.requestId, refused?.requestId);
    // The provider call's line names the message's workflow; kafkajs and the SDK write through pino too.
    assert.ok(entries.some((e) => e.msg === 'accepted by provider' && e.workflowId === send?.workflowId));
    assert.ok(entries.some((e) => e.name === 'temporal-sdk' || String(e.component).startsWith('kafkajs')));
  });
});
