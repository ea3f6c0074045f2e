import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { failureConverterPath } from '../../src/temporal/data-converter';
import { tracingWorkerOptions } from '../../src/telemetry/temporal-tracing';
import { createClient, emailChannel, smsChannel, uniqueId } from '../support/clients';
import { clearFaults, planFault } from '../support/faults';
import { harness, testCodec, testWorkflowBundle } from '../support/harness';
import { call, eventually } from '../support/http';
import { startJaeger, type Jaeger, type JaegerSpan, type JaegerTrace } from '../support/jaeger';
import { bridgeEnv, bridgeTopics, produce } from '../support/kafka';
import { acceptedBySandbox } from '../support/sandbox';
import { spawnService, type ServiceProcess } from '../support/service-process';

const services = ['communication-api', 'communication-worker', 'communication-bridge'];
const run = randomBytes(4).toString('hex');
let phoneCounter = 0;
const uniquePhone = () => `+1555${String(Date.now() % 1_000_000).padStart(6, '0')}${phoneCounter++ % 10}`;

const tag = (span: JaegerSpan, key: string) => span.tags.find((t) => t.key === key)?.value;
const serviceOf = (trace: JaegerTrace, span: JaegerSpan) => trace.processes[span.processID]?.serviceName;
const urlOf = (span: JaegerSpan) => {
  const url = tag(span, 'http.url') ?? tag(span, 'url.full');
  return typeof url === 'string' ? url : '';
};
const parentOf = (trace: JaegerTrace, span: JaegerSpan) => {
  const parentId = span.references.find((r) => r.refType === 'CHILD_OF')?.spanID;
  return trace.spans.find((s) => s.spanID === parentId);
};

function only(trace: JaegerTrace, what: string, test: (span: JaegerSpan) => boolean): JaegerSpan {
  const found = trace.spans.filter(test);
  const names = trace.spans.map((s) => `${serviceOf(trace, s)}:${s.operationName}`).join(', ');
  assert.equal(found.length, 1, `one ${what} in trace ${trace.traceID}, among ${names}`);
  return found[0]!;
}

const named = (trace: JaegerTrace, name: string) => only(trace, name, (s) => s.operationName === name);

/** The provider SDK's own HTTP call, made by the worker: http (axios, https) or undici (fetch) instrumentation. */
const providerCall = (trace: JaegerTrace, path: RegExp) =>
  only(
    trace,
    `client call to ${path}`,
    (s) => tag(s, 'span.kind') === 'client' && serviceOf(trace, s) === 'communication-worker' && path.test(urlOf(s)),
  );

function assertDescends(trace: JaegerTrace, span: JaegerSpan, ancestor: JaegerSpan): void {
  const chain = [span.operationName];
  for (let at = parentOf(trace, span); at; at = parentOf(trace, at)) {
    if (at.spanID === ancestor.spanID) return;
    chain.push(at.operationName);
  }
  assert.fail(`${chain.join(' ← ')} does not descend from ${ancestor.operationName}`);
}

/** The workflow start → the workflow → the activity → the provider SDK's request, each under the one before. */
function assertMessageChain(trace: JaegerTrace, activity: string, providerPath: RegExp): JaegerSpan {
  const start = named(trace, 'StartWorkflow:deliverMessage');
  const workflow = named(trace, 'RunWorkflow:deliverMessage');
  const attempt = named(trace, `RunActivity:${activity}`);
  const request = providerCall(trace, providerPath);
  assertDescends(trace, workflow, start);
  assertDescends(trace, attempt, workflow);
  assertDescends(trace, request, attempt);
  assert.equal(serviceOf(trace, workflow), 'communication-worker');
  return start;
}

const twilioMessages = /\/2010-04-01\/Accounts\/AC0{32}\/Messages\.json$/;
const postmarkEmail = /\/email$/;
/** Complete enough to check: the provider call was exported, and the workflow has finished (its span ended). */
const hasCall = (trace: JaegerTrace | undefined, path: RegExp) =>
  trace !== undefined &&
  trace.spans.some((s) => path.test(urlOf(s))) &&
  trace.spans.some((s) => s.operationName === 'RunWorkflow:deliverMessage');

describe('tracing: one trace per message, over OTLP to a Jaeger built from the Go module proxy', () => {
  const topics = bridgeTopics();
  const body = `Tracing body ${run}`;
  const recipients: string[] = [];
  let jaeger: Jaeger | undefined;
  let processes: ServiceProcess[] = [];
  let apiUrl = '';
  let client: { clientId: string; apiKey: string };
  const receiver = () => jaeger ?? assert.fail('Jaeger did not start');

  before(async function () {
    this.timeout(900_000);
    jaeger = await startJaeger();
    await harness(); // resets the test database; its in-process API (tracing off) creates the client
    const env = {
      ...bridgeEnv(topics),
      // Queues of their own: the harness's untraced workers never take these workflows.
      TEMPORAL_TASK_QUEUE: `tracing-${run}`,
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.otlpEndpoint,
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=tracing-test',
    };
    processes = await Promise.all([spawnService('api', env), spawnService('worker', env), spawnService('bridge', env)]);
    apiUrl = processes[0]!.url;
    client = await createClient('traced', { timezone: 'UTC', channels: { ...smsChannel, ...emailChannel } });
  });

  after(async () => {
    await clearFaults();
    await Promise.all(processes.map((p) => p.kill('SIGTERM')));
    await jaeger?.stop();
  });

  /** `query`: what a careless client appends and the API ignores; URL attributes are exported without it. */
  const send = async (channel: 'sms' | 'email', recipient: object, query = '') => {
    const messageId = uniqueId(`traced-${channel}`);
    const content = channel === 'sms' ? { sms: { body } } : { email: { subject: 'Traced', text: body } };
    const accepted = await call('POST', `/v1/messages/${channel}${query}`, {
      key: client.apiKey,
      baseUrl: apiUrl,
      body: { messageId, recipient, content },
    });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    return `msg:${client.clientId}:${messageId}`;
  };

  const traceOfWorkflow = (workflowId: string, providerPath: RegExp) =>
    eventually(
      async () => {
        const [found] = await receiver().find('communication-api', { temporalWorkflowId: workflowId });
        const whole = found && (await receiver().trace(found.traceID));
        return hasCall(whole, providerPath) ? whole : undefined;
      },
      `the trace of ${workflowId} with its provider call`,
      90_000,
    );

  it("an SMS through the API: the request's server span → start → workflow → sendSms → Twilio's HTTP call", async function () {
    this.timeout(120_000);
    const phone = uniquePhone();
    recipients.push(phone);
    const workflowId = await send('sms', { phone }, `?to=${encodeURIComponent(phone)}`);
    await acceptedBySandbox({ channel: 'sms', to: phone });
    const trace = await traceOfWorkflow(workflowId, twilioMessages);

    const server = only(trace, 'API server span', (s) => tag(s, 'span.kind') === 'server');
    assert.equal(serviceOf(trace, server), 'communication-api');
    assert.equal(parentOf(trace, server), undefined, 'the request starts the trace');
    const start = assertMessageChain(trace, 'sendSms', twilioMessages);
    assertDescends(trace, start, server);
    assert.equal(tag(start, 'temporalWorkflowId'), workflowId);
    assert.ok(trace.spans.every((s) => s.traceID === trace.traceID));
  });

  it("an email: Postmark's fetch (undici) joins the message's trace too", async function () {
    this.timeout(120_000);
    const email = `traced-${run}@example.com`;
    recipients.push(email);
    const workflowId = await send('email', { email });
    const trace = await traceOfWorkflow(workflowId, postmarkEmail);
    const server = only(trace, 'API server span', (s) => tag(s, 'span.kind') === 'server');
    assertDescends(trace, assertMessageChain(trace, 'sendEmail', postmarkEmail), server);
  });

  it("a Kafka record's traceparent: its workflow joins the producer's trace", async function () {
    this.timeout(120_000);
    const phone = uniquePhone();
    recipients.push(phone);
    const traceId = randomBytes(16).toString('hex');
    const producerSpan = randomBytes(8).toString('hex');
    const messageId = uniqueId('traced-kafka');
    await produce(topics.sms, [
      {
        key: messageId,
        value: JSON.stringify({
          clientId: client.clientId,
          messageId,
          recipient: { phone },
          content: { sms: { body } },
        }),
        headers: { traceparent: `00-${traceId}-${producerSpan}-01`, tracestate: 'producer=tracing-test' },
      },
    ]);
    const trace = await eventually(
      async () => {
        const found = await receiver().trace(traceId);
        return hasCall(found, twilioMessages) ? found : undefined;
      },
      `trace ${traceId}`,
      90_000,
    );
    const start = assertMessageChain(trace, 'sendSms', twilioMessages);
    assert.equal(serviceOf(trace, start), 'communication-bridge');
    assert.deepEqual(
      start.references.map((r) => [r.refType, r.traceID, r.spanID]),
      [['CHILD_OF', traceId, producerSpan]],
    );
  });

  it("a provider error quoting the recipient marks the attempt's span failed, the number masked", async function () {
    this.timeout(120_000);
    const phone = uniquePhone();
    recipients.push(phone);
    const message = `The 'To' number ${phone} is not a valid phone number.`;
    await planFault({ channel: 'sms', to: phone, status: 400, body: { code: 21211, message, status: 400 } });
    const workflowId = await send('sms', { phone });
    const trace = await traceOfWorkflow(workflowId, twilioMessages);
    const attempt = named(trace, 'RunActivity:sendSms');
    assert.equal(tag(attempt, 'error'), true, JSON.stringify(attempt.tags));
    assert.match(String(tag(attempt, 'otel.status_description')), /not a valid phone number/);
  });

  it('no span or resource of any trace holds a recipient, an email address or the body', async function () {
    this.timeout(60_000);
    const traces = (await Promise.all(services.map((service) => receiver().find(service)))).flat();
    assert.ok(traces.length >= 4, `${traces.length} traces`);
    const text = JSON.stringify(traces);
    for (const recipient of recipients) {
      assert.ok(!text.includes(recipient), `${recipient} in a trace`);
      assert.ok(!text.includes(encodeURIComponent(recipient)), `${recipient}, URL-encoded, in a trace`);
    }
    assert.ok(!text.includes(body), 'the body in a trace');
    assert.doesNotMatch(text, /[\w.+-]+@[\w-]+\.[a-z]{2,}/i);
  });

  it("tracing off (the harness's in-process service): no header, no span, the workflow runs as without it", async function () {
    this.timeout(120_000);
    const phone = uniquePhone();
    const messageId = uniqueId('untraced');
    const accepted = await call('POST', '/v1/messages/sms', {
      key: client.apiKey,
      body: { messageId, recipient: { phone }, content: { sms: { body } } },
    });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    await acceptedBySandbox({ channel: 'sms', to: phone });
    const workflowId = `msg:${client.clientId}:${messageId}`;
    const history = await (await harness()).temporal.workflow.getHandle(workflowId).fetchHistory();
    const headers = (history.events ?? []).flatMap((e) => [
      e.workflowExecutionStartedEventAttributes?.header?.fields,
      e.activityTaskScheduledEventAttributes?.header?.fields,
    ]);
    assert.ok(headers.every((fields) => fields?.['_tracer-data'] === undefined));
    assert.deepEqual(await receiver().find('communication-api', { temporalWorkflowId: workflowId }), []);
    // Nor is the SDK loaded by this process's API and workers (its start and memory are the untraced ones).
    const sdkModules = /@opentelemetry[\\/](sdk-|instrumentation|exporter|resources)|interceptors-opentelemetry/;
    assert.deepEqual(
      Object.keys(require.cache).filter((file) => sdkModules.test(file)),
      [],
    );
  });

  it('a process that stops sends the spans still in its batch before it exits', async function () {
    this.timeout(120_000);
    // A batch delay no test waits for: only the flush at stop can send this API's span.
    const service = `communication-api-stopping-${run}`;
    const api = await spawnService('api', {
      TEMPORAL_TASK_QUEUE: `tracing-${run}`,
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver().otlpEndpoint,
      OTEL_BSP_SCHEDULE_DELAY: '600000',
      OTEL_SERVICE_NAME: service,
    });
    const answer = await call('GET', `/v1/messages/${uniqueId('unknown')}`, { key: client.apiKey, baseUrl: api.url });
    assert.equal(answer.status, 404);
    await api.kill('SIGTERM');
    const [trace] = await eventually(
      async () => {
        const found = await receiver().find(service);
        return found.length > 0 ? found : undefined;
      },
      `a trace of ${service}`,
      10_000,
    );
    assert.equal(
      tag(
        only(trace!, 'server span', (s) => tag(s, 'span.kind') === 'server'),
        'http.status_code',
      ),
      404,
    );
  });

  it('a traced workflow carries its context in headers only: its history replays on the bundle', async function () {
    this.timeout(60_000);
    const [trace] = await receiver().find('communication-bridge');
    const workflowId = String(tag(named(trace!, 'StartWorkflow:deliverMessage'), 'temporalWorkflowId'));
    const history = await (await harness()).temporal.workflow.getHandle(workflowId).fetchHistory();
    const scheduled = history.events?.filter((e) => e.activityTaskScheduledEventAttributes) ?? [];
    assert.ok(scheduled.length > 0);
    for (const event of scheduled) {
      assert.ok(event.activityTaskScheduledEventAttributes?.header?.fields?.['_tracer-data'], 'context header');
    }
    await Worker.runReplayHistory(
      {
        workflowBundle: await testWorkflowBundle(),
        dataConverter: { payloadCodecs: [testCodec], failureConverterPath },
        ...tracingWorkerOptions([]),
      },
      history,
      workflowId,
    );
  });
});
