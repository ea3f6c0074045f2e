import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import {
  bundleWorkflowCode,
  DefaultLogger,
  makeTelemetryFilterString,
  NativeConnection,
  Runtime,
  Worker,
} from '@temporalio/worker';
import { Duration } from 'luxon';
import mongoose from 'mongoose';
import { createCapLedger, ensureCapLedgerIndexes, type CapRule, type CapSubject } from '../../src/caps/cap-ledger';
import { ledgerCollections } from '../../src/caps/ledger-store';
import { scopeKey } from '../../src/caps/scope-key';
import { once } from '../load/async';
import { benchDir, envInt, hex, runBench, type BenchContext } from './common';
import { distribution, fmt, printTable, round, writeResult, type Cell } from './figures';

/**
 * reserve() latency of the frequency-cap ledger (src/caps) on the dev stack's FerretDB: one call at a time, and
 * 10 or 50 contenders at once (each on a connection of its own, as separate workers would be) on one recipient
 * and on distinct recipients. Then, for comparison, the alternative the ledger was chosen over: one Temporal
 * workflow per recipient that takes each reservation as an update (BENCH_CAPS_ENTITY=0 skips it).
 */

const mongoUri = process.env.BENCH_CAPS_MONGODB_URI ?? 'mongodb://127.0.0.1:27017/communication-bench-caps';
const temporalAddress = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';

/** Florida's 3 per 24 h. */
const threePerDay: CapRule[] = [{ max: 3, per: 'PT24H', scope: 'category', source: 'bench' }];
/** A category cap and a channel cap: two scopes, so two chains per call. */
const twoScopes: CapRule[] = [
  { max: 3, per: 'PT24H', scope: 'category', source: 'bench' },
  { max: 4, per: 'P30D', scope: 'channel', source: 'bench' },
];
/** Room for every contender: all of them race for the next seq and all get one, one race after another. */
const roomFor = (contenders: number): CapRule[] => [
  { max: contenders, per: 'PT24H', scope: 'category', source: 'bench' },
];

const recipient = (label: string): CapSubject => ({
  clientId: `bench-caps-${label}`,
  channel: 'sms',
  category: 'marketing',
  address: `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
});

interface CaseResult {
  name: string;
  contenders: number;
  calls: number;
  granted: number;
  latencyMs: ReturnType<typeof distribution>;
  wallMs: number;
}

type Reserve = (subject: CapSubject, caps: CapRule[], messageId: string, now: Date) => Promise<boolean>;

/**
 * `rounds` rounds of `contenders` calls started together (1: one call at a time). `subjectOf` picks the
 * recipient of each call: the same for all (one recipient) or one each (distinct recipients).
 */
async function measure(
  ctx: BenchContext,
  name: string,
  reservers: Reserve[],
  options: {
    contenders: number;
    rounds: number;
    caps: CapRule[];
    subjectOf: (round: number, k: number) => CapSubject;
    /** The reservation time: the clock, or a simulated one (a recipient's steady state over weeks). */
    nowOf?: (round: number) => Date;
  },
): Promise<CaseResult> {
  const latencies: number[] = [];
  let granted = 0;
  const began = performance.now();
  for (let round = 0; round < options.rounds; round++) {
    await Promise.all(
      Array.from({ length: options.contenders }, async (_, k) => {
        const started = performance.now();
        const now = options.nowOf?.(round) ?? new Date();
        const ok = await reservers[k]!(options.subjectOf(round, k), options.caps, `m-${hex(6)}`, now);
        latencies.push(performance.now() - started);
        if (ok) granted++;
      }),
    );
  }
  const result = {
    name,
    contenders: options.contenders,
    calls: latencies.length,
    granted,
    latencyMs: distribution(latencies),
    wallMs: round(performance.now() - began),
  };
  ctx.log(`${name}: p50 ${fmt(result.latencyMs.p50, 2)} ms, p95 ${fmt(result.latencyMs.p95, 2)} ms`);
  return result;
}

/**
 * A simulated clock 8 hours apart per call: with 3 per 24 h every call is granted and the recipient sits at its
 * cap, the steady state of a recipient messaged as often as the cap allows.
 */
const everyEightHours = (from: number) => (round: number) => new Date(from + round * 8 * 3_600_000);

/** The cases, the same for the ledger and for the entity workflow. */
async function runCases(ctx: BenchContext, label: string, reservers: Reserve[], calls: number, rounds: number) {
  const cases: CaseResult[] = [];
  const sequential = { contenders: 1, rounds: calls };
  const steady = recipient(`${label}-steady`);
  cases.push(
    await measure(ctx, `${label} · sequential · one recipient at its cap, 3 per PT24H`, reservers, {
      ...sequential,
      caps: threePerDay,
      subjectOf: () => steady,
      nowOf: everyEightHours(Date.now()),
    }),
  );
  const full = recipient(`${label}-full`);
  cases.push(
    await measure(ctx, `${label} · sequential · one recipient over its cap (refused)`, reservers, {
      ...sequential,
      caps: threePerDay,
      subjectOf: () => full,
    }),
  );
  cases.push(
    await measure(ctx, `${label} · sequential · distinct recipients (first reservation)`, reservers, {
      ...sequential,
      caps: threePerDay,
      subjectOf: () => recipient(`${label}-new`),
    }),
  );
  if (label === 'ledger') {
    const both = recipient(`${label}-two`);
    cases.push(
      await measure(ctx, `${label} · sequential · one recipient, caps in two scopes`, reservers, {
        ...sequential,
        caps: twoScopes,
        subjectOf: () => both,
        nowOf: (round) => new Date(Date.now() + round * 8 * 86_400_000),
      }),
    );
  }
  for (const contenders of [10, 50]) {
    const contendedRounds = Math.max(2, Math.round((rounds * 10) / contenders));
    const fresh = Array.from({ length: contendedRounds }, (_, r) => recipient(`${label}-c${contenders}-${r}`));
    cases.push(
      await measure(ctx, `${label} · ${contenders} at once · one recipient, room for all`, reservers, {
        contenders,
        rounds: contendedRounds,
        caps: roomFor(contenders),
        subjectOf: (r) => fresh[r]!,
      }),
    );
    const capped = Array.from({ length: contendedRounds }, (_, r) => recipient(`${label}-k${contenders}-${r}`));
    cases.push(
      await measure(ctx, `${label} · ${contenders} at once · one recipient, 3 per PT24H`, reservers, {
        contenders,
        rounds: contendedRounds,
        caps: threePerDay,
        subjectOf: (r) => capped[r]!,
      }),
    );
    cases.push(
      await measure(ctx, `${label} · ${contenders} at once · distinct recipients`, reservers, {
        contenders,
        rounds: contendedRounds,
        caps: threePerDay,
        subjectOf: () => recipient(`${label}-d${contenders}`),
      }),
    );
  }
  return cases;
}

/** What any other filter than `{_id}` costs on this server, at the ledger's size after the run. */
async function scanReference(connection: mongoose.Connection) {
  const entries = connection.collection(ledgerCollections.entries);
  const documents = await entries.countDocuments();
  const timed = async (query: () => Promise<unknown>) => {
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      await query();
      samples.push(performance.now() - started);
    }
    return round(distribution(samples).p50);
  };
  const scope = scopeKey(recipient('probe'), 'category');
  return {
    documents,
    byIdMs: await timed(() => entries.findOne({ _id: `${scope}:0:0000000001` } as object)),
    topOfChainByQueryMs: await timed(() => entries.find({ scope }).sort({ seq: -1 }).limit(1).toArray()),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The alternative: one workflow per recipient, each reservation an update (handled one at a time by the workflow)

/** Plain CommonJS, written to .bench/ at run time and bundled like any workflow code. */
const entityWorkflowSource = `
const { condition, continueAsNew, defineUpdate, setHandler, allHandlersFinished } = require('@temporalio/workflow');

const reserve = defineUpdate('reserve');

// The workflow handles one update at a time, so its list is exact without any storage of its own.
async function capEntity(granted = []) {
  let handled = 0;
  setHandler(reserve, ({ messageId, nowMs, max, perMs }) => {
    handled++;
    granted = granted.filter((g) => g.atMs > nowMs - perMs);
    if (granted.some((g) => g.messageId === messageId)) return { granted: true };
    if (granted.length >= max) return { granted: false, freesAtMs: granted[0].atMs + perMs };
    granted.push({ messageId, atMs: nowMs });
    return { granted: true };
  });
  // Ends after a quiet minute (the bench's lifetime); a long-lived entity continues as new to bound its history.
  await condition(() => handled >= 1000, '1 minute');
  await condition(allHandlersFinished);
  if (handled >= 1000) await continueAsNew(granted);
}

module.exports = { reserve, capEntity };
`;

async function entityWorkflowCases(ctx: BenchContext, calls: number, rounds: number) {
  const dir = path.join(benchDir, 'caps-entity');
  fs.mkdirSync(dir, { recursive: true });
  const workflowsPath = path.join(dir, 'workflow.js');
  fs.writeFileSync(workflowsPath, entityWorkflowSource);
  const taskQueue = `bench-caps-entity-${hex(4)}`;
  // Core warns "Workflow task not found" whenever updates arriving together race for the workflow task: that
  // is the contention this case measures, not a fault, so only errors are printed.
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } },
  });
  const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowBundle: await bundleWorkflowCode({ workflowsPath, logger: quiet }),
  });
  const running = worker.run();
  const stopWorker = once(async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running.catch((err: unknown) => ctx.log(`entity worker: ${String(err)}`));
    await nativeConnection.close();
  });
  ctx.defer('stop the entity workflow worker', stopWorker);
  const clients: Client[] = [];
  for (let i = 0; i < 50; i++)
    clients.push(new Client({ connection: await Connection.connect({ address: temporalAddress }) }));
  ctx.defer('close the Temporal clients', () => Promise.all(clients.map((c) => c.connection.close())));
  const workflowIds = new Set<string>();
  ctx.defer('terminate the entity workflows', async () => {
    for (const workflowId of workflowIds)
      await clients[0]!.workflow
        .getHandle(workflowId)
        .terminate('bench over')
        .catch(() => undefined);
  });

  const reservers: Reserve[] = clients.map((client) => async (subject, caps, messageId, now) => {
    const workflowId = `bench-caps-${scopeKey(subject, 'category').slice(0, 24)}`;
    workflowIds.add(workflowId);
    const cap = caps[0]!;
    const perMs = Duration.fromISO(cap.per).toMillis();
    const answer = await client.workflow.executeUpdateWithStart<() => Promise<void>, { granted: boolean }, unknown[]>(
      'reserve',
      {
        args: [{ messageId, nowMs: now.getTime(), max: cap.max, perMs }],
        startWorkflowOperation: new WithStartWorkflowOperation('capEntity', {
          workflowId,
          taskQueue,
          args: [],
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      },
    );
    return answer.granted;
  });
  const cases = await runCases(ctx, 'entity workflow', reservers, calls, rounds);
  // What each reservation leaves in Temporal: history events (the update's, and a workflow task's each time).
  let events = 0;
  for (const workflowId of workflowIds)
    events += Number((await clients[0]!.workflow.getHandle(workflowId).describe()).historyLength);
  const updates = cases.reduce((sum, c) => sum + c.calls, 0);
  await stopWorker();
  return {
    cases,
    workflows: workflowIds.size,
    historyEventsPerReservation: round(events / updates, 1),
  };
}

const quiet = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (message: string) => console.error(message),
};

// ---------------------------------------------------------------------------------------------------------------

const rows = (cases: CaseResult[]): Cell[][] =>
  cases.map((c) => [
    c.name,
    c.calls,
    c.granted,
    round(c.latencyMs.p50),
    round(c.latencyMs.p95),
    round(c.latencyMs.p99),
    round(c.latencyMs.max),
    round((c.calls * 1000) / c.wallMs),
  ]);

runBench('caps', async (ctx) => {
  const calls = envInt('BENCH_CAPS_CALLS', 300);
  const rounds = envInt('BENCH_CAPS_ROUNDS', 30);
  const connections = await Promise.all(
    Array.from({ length: 50 }, () =>
      mongoose.createConnection(mongoUri, { serverSelectionTimeoutMS: 10_000 }).asPromise(),
    ),
  );
  ctx.defer('close the MongoDB connections', () => Promise.all(connections.map((c) => c.close())));
  await connections[0]!.dropDatabase();
  ctx.defer('drop the bench database', () => connections[0]!.dropDatabase());
  const indexMode = await ensureCapLedgerIndexes(connections[0]!);
  ctx.log(`${mongoUri}: expiry by ${indexMode}; ${calls} sequential calls, ${rounds} rounds of 10 (fewer of 50)`);

  const reservers: Reserve[] = connections.map((connection) => {
    const ledger = createCapLedger(connection);
    return async (subject, caps, messageId, now) => (await ledger.reserve(subject, caps, messageId, now)).granted;
  });
  const ledgerCases = await runCases(ctx, 'ledger', reservers, calls, rounds);
  const scan = await scanReference(connections[0]!);
  const entity =
    envInt('BENCH_CAPS_ENTITY', 1) === 1 ? await entityWorkflowCases(ctx, Math.min(calls, 200), rounds) : undefined;
  const entityCases = entity?.cases ?? [];

  const header = ['case', 'calls', 'granted', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'calls/s'];
  printTable('reserve() on the ledger (FerretDB, every access by _id)', header, rows(ledgerCases));
  if (entity)
    printTable(
      `the alternative: a workflow per recipient, one update per reservation (${entity.workflows} workflows, ` +
        `${entity.historyEventsPerReservation} history events per reservation)`,
      header,
      rows(entityCases),
    );
  printTable(
    `any filter but {_id} scans on this server (${scan.documents} ledger entries after the run)`,
    ['query', 'p50 ms'],
    [
      ['findOne({_id})', scan.byIdMs],
      ['find({scope}).sort({seq: -1}).limit(1)', scan.topOfChainByQueryMs],
    ],
  );
  writeResult('caps', {
    mongoUri,
    indexMode,
    sizes: { calls, rounds },
    ledger: ledgerCases,
    entityWorkflow: entity ?? null,
    scanReference: scan,
  });
});
