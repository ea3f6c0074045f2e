import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { parse, stringify } from 'yaml';
import { ensurePromtool, promtool } from '../../scripts/deploy/promtool';
import { startBridge, type RunningBridge } from '../../src/kafka-bridge/main';
import { createSmsClient, uniqueId } from '../support/clients';
import { harness, testEnv } from '../support/harness';
import { call, eventually } from '../support/http';
import { bridgeEnv, bridgeTopics } from '../support/kafka';

const root = path.join(__dirname, '..', '..');
const observability = path.join(root, 'deploy', 'observability');
const rulesFile = path.join(observability, 'prometheus', 'alerts.yaml');
const dashboardFile = path.join(observability, 'grafana', 'communication-service.json');

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const rules = (parse(fs.readFileSync(rulesFile, 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap(
  (g) => g.rules,
);
const recorded = new Map(rules.filter((r) => r.record).map((r) => [r.record!, r]));

interface Target {
  expr?: string;
  datasource?: { type?: string; uid?: string };
}
interface Panel {
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  panels?: Panel[];
}
const dashboard = JSON.parse(fs.readFileSync(dashboardFile, 'utf8')) as {
  schemaVersion: number;
  templating: { list: { name: string; type: string; query: unknown; allValue?: string }[] };
  panels: Panel[];
};
// A collapsed row holds its panels; an open one is followed by them.
const allPanels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
const graphs = allPanels.filter((p) => p.type !== 'row');
const jobVariable = dashboard.templating.list.find((v) => v.name === 'job');

/** A panel's expression as Prometheus would get it: Grafana's variables replaced as with "All" selected. */
const resolved = (expr: string) => expr.replaceAll('$__rate_interval', '5m').replaceAll('$job', jobVariable!.allValue!);

/** The metric names an expression selects, from the PromQL grammar's parse tree; throws on a syntax error. */
function metricNames(expr: string): string[] {
  const names: string[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) throw new Error(`PromQL syntax error at ${node.from} in: ${expr}`);
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') {
        names.push(expr.slice(node.from, node.to));
      }
    },
  });
  return names;
}

/** Metric families a scrape declares, with their types (`# TYPE name type`). */
function families(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) found.set(match[1]!, match[2]!);
  return found;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const anchors = (markdown: string) =>
  new Set(
    [...markdown.matchAll(/^#{1,6} (.+)$/gm)].map((m) =>
      m[1]!
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    ),
  );

/**
 * The rules and the dashboard against promtool and against what the API, a worker and a bridge really export
 * after one SMS went through them (the SDK's histograms appear only once a task was polled).
 */
describe('deploy: Grafana dashboard and Prometheus rules', () => {
  const exported = new Map<string, string>();
  let bridge: RunningBridge | undefined;

  before(async function () {
    // A cold promtool build: 5.5 min here with an empty Go cache; a cached one is checked in a second.
    this.timeout(900_000);
    // First, alone: a cold Go build on both cores would starve the processes below.
    await ensurePromtool();
    const { api, workers } = await harness();
    bridge = await startBridge({ ...testEnv, ...bridgeEnv(bridgeTopics()) });
    const { apiKey } = await createSmsClient();
    const messageId = uniqueId('observability');
    const sent = await call('POST', '/v1/messages/sms', {
      key: apiKey,
      body: { messageId, recipient: { phone: '+15557654321' }, content: { sms: { body: 'Dashboards' } } },
    });
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    await eventually(async () => {
      const status = await call('GET', `/v1/messages/${messageId}`, { key: apiKey });
      return status.body?.state === 'delivered' ? true : undefined;
    }, `${messageId} delivered`);
    for (const url of [api.url, workers.url, bridge.url]) {
      const scrape = await fetch(`${url}/metrics`);
      assert.equal(scrape.status, 200);
      for (const [name, type] of families(await scrape.text())) exported.set(name, type);
    }
  });

  after(async () => {
    await bridge?.stop();
  });

  /** Why a name used in an expression is not something Prometheus will have, or undefined when it will. */
  function unknownName(name: string): string | undefined {
    // Prometheus's own series for every target it scrapes.
    if (name === 'up') return undefined;
    if (recorded.has(name)) return undefined;
    if (exported.has(name)) return undefined;
    const histogram = /^(.+)_(bucket|sum|count)$/.exec(name);
    if (histogram && exported.get(histogram[1]!) === 'histogram') return undefined;
    return `${name} is neither exported by the API, worker or bridge nor a recording rule`;
  }

  it('the scrapes hold the service, bridge, SDK and default metrics the rules rely on', () => {
    for (const name of [
      'communication_provider_request_duration_seconds',
      'bridge_consumer_lag',
      'temporal_workflow_task_schedule_to_start_latency_seconds',
      'process_cpu_seconds_total',
    ]) {
      assert.ok(exported.has(name), `${name} missing from every scrape`);
    }
  });

  it('promtool check rules accepts alerts.yaml', async () => {
    const out = await promtool(['check', 'rules', rulesFile]);
    assert.match(out, new RegExp(`SUCCESS: ${rules.length} rules found`));
  });

  it('promtool test rules: the alerts fire on failing series and stay quiet on healthy ones', async function () {
    this.timeout(120_000);
    assert.match(await promtool(['test', 'rules', 'alerts.test.yaml'], path.dirname(rulesFile)), /SUCCESS/);
  });

  it('every alert has a for, a severity, a summary, a description and a runbook anchor in the README', () => {
    const readmeAnchors = anchors(fs.readFileSync(path.join(root, 'README.md'), 'utf8'));
    const alerts = rules.filter((r) => r.alert);
    assert.ok(alerts.length >= 8);
    for (const rule of alerts) {
      assert.match(rule.for ?? '', /^\d+[smh]$/, `${rule.alert}: for`);
      assert.ok(['warning', 'critical'].includes(rule.labels?.severity ?? ''), `${rule.alert}: severity`);
      assert.ok(rule.annotations?.summary && rule.annotations.description, `${rule.alert}: summary, description`);
      const anchor = /^README\.md#(.+)$/.exec(rule.annotations.runbook_url ?? '')?.[1];
      assert.ok(anchor && readmeAnchors.has(anchor), `${rule.alert}: runbook_url ${rule.annotations.runbook_url}`);
    }
  });

  it('every metric name in the rules exists in what the processes export', () => {
    const problems = rules.flatMap((r) => metricNames(r.expr).map(unknownName)).filter(Boolean);
    assert.deepEqual(problems, []);
  });

  it('the dashboard: schema, a Prometheus datasource variable, the rows, a datasource and a target per panel', () => {
    assert.ok(dashboard.schemaVersion >= 39);
    const datasource = dashboard.templating.list.find((v) => v.name === 'datasource');
    assert.deepEqual([datasource?.type, datasource?.query], ['datasource', 'prometheus']);
    assert.deepEqual(
      dashboard.panels.filter((p) => p.type === 'row').map((p) => p.title),
      ['Traffic', 'Delivery', 'Acks, receipts and webhooks', 'Kafka bridge', 'Temporal workers', 'Process'],
    );
    for (const panel of graphs) {
      assert.equal(panel.datasource?.uid, '${datasource}', `${panel.title}: datasource`);
      assert.ok((panel.targets ?? []).length > 0, `${panel.title}: no target`);
      for (const target of panel.targets!) {
        assert.ok(target.expr, `${panel.title}: a target without an expression`);
        assert.equal(target.datasource?.uid, '${datasource}', `${panel.title}: target datasource`);
      }
    }
  });

  it('every dashboard expression is valid PromQL (promtool) and selects only exported or recorded metrics', async () => {
    const expressions = graphs.flatMap((p) => p.targets!.map((t) => ({ panel: p.title, expr: resolved(t.expr!) })));
    const leftovers = expressions.filter((e) => e.expr.includes('$'));
    assert.deepEqual(leftovers, [], 'a Grafana variable this test does not resolve');
    const problems = expressions.flatMap((e) =>
      metricNames(e.expr)
        .map(unknownName)
        .filter(Boolean)
        .map((why) => `${e.panel}: ${why}`),
    );
    assert.deepEqual(problems, []);
    // promtool parses them as Prometheus will: as recording rules of a throwaway file.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-rules-'));
    const file = path.join(dir, 'dashboard.yaml');
    const asRules = expressions.map((e, i) => ({ record: `dashboard:expression_${i}`, expr: e.expr }));
    fs.writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules: asRules }] }));
    assert.match(await promtool(['check', 'rules', file]), new RegExp(`SUCCESS: ${asRules.length} rules found`));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
