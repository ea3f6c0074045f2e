import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import mongoose from 'mongoose';
import { startApi } from '../../src/api/main';
import type { ApiServer } from '../../src/api/server';
import { issueApiKey } from '../../src/clients/api-keys';
import { profileSchema, type ClientProfile } from '../../src/clients/profile-schema';
import { saveProfile } from '../../src/clients/profiles';
import { loadConfig } from '../../src/config';
import { createKafka } from '../../src/kafka-bridge/kafka-client';
import { countableEmails, sandboxClient, type SandboxClient } from '../stack/sandbox-server/client';
import { createTemporalClient } from '../../src/temporal/client';
import { installSdkRuntime } from '../../src/temporal/runtime';
import { startWorkers, type RunningWorkers } from '../../src/worker/main';
import { localEnv } from '../local-env';
import { readPid } from '../stack/processes';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const benchDir = path.join(repoRoot, '.bench');
// A database of its own, dropped at every start: FerretDB scans whole collections, so leftovers slow every query.
export const benchMongoUri = 'mongodb://127.0.0.1:27017/communication-bench';

export const hex = (bytes: number) => randomBytes(bytes).toString('hex');
/** For stops that both an early, explicit call and the final cleanup may make. */
export function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= fn());
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------------------------
// Sizes and settings from the environment

function envValue<T>(name: string, fallback: T, parse: (raw: string) => T | undefined, expected: string): T {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = parse(raw.trim());
  if (value === undefined) throw new Error(`${name}=${raw}: expected ${expected}`);
  return value;
}

const nonNegativeInt = (raw: string) => (/^\d+$/.test(raw) ? Number(raw) : undefined);

export const envInt = (name: string, fallback: number) =>
  envValue(name, fallback, nonNegativeInt, 'a whole number ≥ 0');

export const envNumber = (name: string, fallback: number) =>
  envValue(
    name,
    fallback,
    (raw) => (Number.isFinite(Number(raw)) && Number(raw) > 0 ? Number(raw) : undefined),
    'a number > 0',
  );

export const envIntList = (name: string, fallback: number[]) =>
  envValue(
    name,
    fallback,
    (raw) => {
      const values = raw.split(',').map((part) => nonNegativeInt(part.trim()));
      return values.some((v) => v === undefined) ? undefined : values.map(Number);
    },
    'comma-separated whole numbers, e.g. 0,10000,100000',
  );

// ---------------------------------------------------------------------------------------------------------------
// Running a bench: cleanup on every exit path, child processes that never outlive the script

export interface BenchContext {
  name: string;
  /** Cleanups run last-registered-first, on success, failure and Ctrl-C alike. */
  defer: (label: string, cleanup: () => unknown) => void;
  log: (message: string) => void;
}

const children = new Set<ChildProcess>();
// The last resort when the script dies without running its cleanups: no orphan server or worker stays behind.
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

export function runBench(name: string, body: (ctx: BenchContext) => Promise<void>): void {
  const startedAt = Date.now();
  const cleanups: { label: string; run: () => unknown }[] = [];
  const log = (message: string) =>
    console.log(`[bench:${name} +${((Date.now() - startedAt) / 1000).toFixed(1)}s] ${message}`);
  const ctx: BenchContext = {
    name,
    defer: (label, run) => {
      cleanups.push({ label, run });
    },
    log,
  };

  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const { label, run } of cleanups.reverse()) {
        try {
          await withTimeout(Promise.resolve().then(run), 120_000, `cleanup "${label}"`);
        } catch (err) {
          console.error(`[bench:${name}] cleanup "${label}" failed: ${(err as Error).message}`);
        }
      }
    })());

  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) process.exit(130); // a second Ctrl-C: the 'exit' hook still kills the children
    interrupted = true;
    console.error(`[bench:${name}] ${signal}: cleaning up (again to force)`);
    void cleanup().then(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A library promise nobody awaits (a worker's run, a consumer) failing must still end in the cleanups, or the
  // bench's workflows stay behind on the shared server.
  process.on('unhandledRejection', (err) => {
    console.error(
      `[bench:${name}] unhandled rejection: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
    process.exitCode = 1;
    void cleanup().then(() => process.exit(1));
  });

  void body(ctx)
    .then(
      () => log(`done in ${((Date.now() - startedAt) / 1000).toFixed(1)}s`),
      (err: unknown) => {
        console.error(`[bench:${name}] FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        process.exitCode = 1;
      },
    )
    .then(cleanup)
    .then(() => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      // Everything is closed by now; a library handle left open must not keep a finished bench hanging.
      setTimeout(() => {
        const open = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
        console.warn(`[bench:${name}] still open 10 s after cleanup (${open.join(', ')}); exiting anyway`);
        process.exit();
      }, 10_000).unref();
    });
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000}s`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

export interface BenchChild {
  pid: number;
  logFile: string;
  /** What `ready` captured (a URL for the sandbox), if it was a pattern with a group. */
  captured?: string;
  alive(): boolean;
  rssBytes(): number;
  /** User + system CPU seconds since the process started. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

export const rssOf = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024;

function cpuSecondsOf(pid: number): number {
  // Fields after the parenthesised command name; utime and stime are the 14th and 15th of the whole line.
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

/**
 * CPU seconds spent by every process a run shares the two cores with, over a span: this process (the API and
 * the workers, all threads), the stack's servers and the given children. Shows where a message's CPU goes.
 */
export function cpuMeter(children: Record<string, BenchChild | undefined>) {
  const sources: [string, () => number][] = [
    [
      'bench process (API + workers)',
      () => {
        const { user, system } = process.cpuUsage();
        return (user + system) / 1e6;
      },
    ],
    ...['temporal', 'kafka', 'ferretdb'].flatMap((name): [string, () => number][] => {
      const pid = readPid(name);
      return pid === undefined ? [] : [[`${name} (stack)`, () => cpuSecondsOf(pid)]];
    }),
    ...Object.entries(children).flatMap(([name, child]): [string, () => number][] =>
      child ? [[name, () => child.cpuSeconds()]] : [],
    ),
  ];
  const read = () => sources.map(([, seconds]) => seconds());
  const from = read();
  return {
    /** CPU seconds per source since the meter started. */
    stop: (): Record<string, number> => {
      const to = read();
      return Object.fromEntries(sources.map(([name], i) => [name, to[i]! - from[i]!]));
    },
  };
}

/**
 * A server or service process of the bench's own. Output goes to `.bench/logs/`; `ready` is a pattern its output
 * must show, or a probe. Stopped by the bench's cleanup (SIGTERM, then SIGKILL), or killed when the script exits.
 */
export async function startChild(
  ctx: BenchContext,
  options: {
    name: string;
    command: string;
    args: string[];
    env?: NodeJS.ProcessEnv;
    ready: RegExp | (() => Promise<boolean>);
    timeoutMs?: number;
  },
): Promise<BenchChild> {
  const logDir = path.join(benchDir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${ctx.name}-${options.name}.log`);
  const out = fs.createWriteStream(logFile);
  const child = spawn(options.command, options.args, {
    cwd: repoRoot,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let tail = '';
  let captured: string | undefined;
  let matched = false;
  const onOutput = (chunk: Buffer) => {
    out.write(chunk);
    // Only the tail is kept: a worker with 100,000 workflows must not grow this process's memory.
    tail = (tail + chunk.toString()).slice(-16_384);
    if (!matched && options.ready instanceof RegExp) {
      const match = options.ready.exec(tail);
      if (match) {
        matched = true;
        captured = match[1];
      }
    }
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      children.delete(child);
      out.end();
      resolve();
    }),
  );
  const alive = () => child.exitCode === null && child.signalCode === null;
  const stop = once(async () => {
    if (!alive()) return;
    child.kill('SIGTERM');
    const killed = await withTimeout(exited, 20_000, options.name).then(
      () => true,
      () => false,
    );
    if (!killed) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  ctx.defer(`stop ${options.name}`, stop);

  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  for (;;) {
    if (!alive()) throw new Error(`${options.name} exited at start; last output:\n${tail.slice(-3_000)}`);
    if (options.ready instanceof RegExp ? matched : await options.ready().catch(() => false)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${options.name} was not ready in time; last output:\n${tail.slice(-3_000)}`);
    }
    await sleep(200);
  }
  if (child.pid === undefined) throw new Error(`${options.name} has no pid`);
  const pid = child.pid;
  return {
    pid,
    logFile,
    captured,
    alive,
    rssBytes: () => rssOf(pid),
    cpuSeconds: () => cpuSecondsOf(pid),
    stop,
  };
}

/** A part of the service started as production starts it (`node --import tsx src/…/main.ts`), in a process of its own. */
export const serviceCommand = (entry: 'src/worker/main.ts' | 'scripts/stack/sandbox-server/main.ts') => ({
  command: process.execPath,
  args: ['--import', 'tsx', path.join(repoRoot, entry)],
});

export interface Sandbox {
  url: string;
  /** The sandbox process, when the bench started its own. */
  process?: BenchChild;
  /** What the sandbox received. */
  client: SandboxClient;
  /** Points the service's provider SDKs at this sandbox. */
  env: NodeJS.ProcessEnv;
}

/**
 * A provider sandbox of the bench's own (the same code as the stack's, HTTP only: no FCM). The stack's sandbox
 * has one global Postmark webhook, pointed at whichever test API set it last: that API then signals receipts,
 * encrypted with its own key, into the bench's workflows, whose workers cannot decode them and fail every
 * workflow task from then on. BENCH_SANDBOX_URL uses a running sandbox instead, unless `ownWebhook` is needed.
 */
export async function benchSandbox(ctx: BenchContext, options: { ownWebhook?: boolean } = {}): Promise<Sandbox> {
  const given = process.env.BENCH_SANDBOX_URL;
  const sandboxEnv = (url: string, child?: BenchChild) => ({
    url,
    process: child,
    client: sandboxClient(url),
    env: { POSTMARK_API_URL: url, TWILIO_API_URL: url },
  });
  if (given && !options.ownWebhook) return sandboxEnv(given.replace(/\/$/, ''));
  const port = await freePort();
  const child = await startChild(ctx, {
    name: 'sandbox',
    ...serviceCommand('scripts/stack/sandbox-server/main.ts'),
    env: { ...process.env, SANDBOX_PORT: String(port), SANDBOX_TLS_CERT_FILE: '', SANDBOX_TLS_KEY_FILE: '' },
    ready: /provider sandbox listening on (http:\/\/\S+?)\/?\s/,
  });
  return sandboxEnv((child.captured ?? `http://127.0.0.1:${port}`).replace(/\/$/, ''), child);
}

// ---------------------------------------------------------------------------------------------------------------
// The deployment under test: the project's own start-up code on the local stack

/**
 * The local environment (`localEnv`, encryption on) with the bench's own task queue and database, limits out of
 * the way, and no PUBLIC_BASE_URL: without it no receipt is requested, so a sent email ends `sent` at once.
 */
export function benchEnv(name: string, overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...localEnv(),
    PORT: '0',
    BRIDGE_PORT: '0',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    TEMPORAL_TASK_QUEUE: `bench-${name}-${hex(4)}`,
    MONGODB_URI: benchMongoUri,
    RATE_LIMIT_PER_MINUTE: process.env.RATE_LIMIT_PER_MINUTE ?? '100000000',
    EMAIL_RATE_PER_SECOND: process.env.EMAIL_RATE_PER_SECOND ?? '1000',
    // Acks of their own (deleted at the end): test collectors read channels.acks from its start.
    KAFKA_ACK_TOPIC: `bench.${name}.${hex(4)}.acks`,
  };
  delete env.PUBLIC_BASE_URL;
  return { ...env, ...overrides };
}

/** Deletes the bench's own topics at cleanup, so runs do not pile up topics on the shared broker. */
export function deleteTopicsAtEnd(ctx: BenchContext, env: NodeJS.ProcessEnv, topics: string[]): void {
  ctx.defer('delete the bench topics', async () => {
    const admin = createKafka(loadConfig(env)).admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const mine = topics.filter((t) => existing.has(t));
      if (mine.length > 0) await admin.deleteTopics({ topics: mine, timeout: 30_000 });
    } finally {
      await admin.disconnect();
    }
  });
}

export async function dropBenchDatabase(uri = benchMongoUri): Promise<void> {
  const connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5_000 }).asPromise();
  try {
    await connection.dropDatabase();
  } finally {
    await connection.close();
  }
}

let runtimeInstalled = false;
/** The SDK runtime can be installed once per process, before the first worker or native connection. */
export function ensureSdkRuntime(): void {
  if (runtimeInstalled) return;
  installSdkRuntime();
  runtimeInstalled = true;
}

export async function benchTemporalClient(ctx: BenchContext, env: NodeJS.ProcessEnv): Promise<Client> {
  const client = await createTemporalClient(loadConfig(env));
  ctx.defer('close the Temporal client', () => client.connection.close());
  return client;
}

const everyDay = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/** A UTC window that opens at `opensAt` (a whole minute) every day and stays open `openMs` (under a day). */
export const utcWindow = (opensAt: number, openMs: number) => ({
  rules: [{ days: [...everyDay], from: hhmm(opensAt), to: hhmm(opensAt + openMs) }],
  outside: 'defer' as const,
});

/** The first whole minute at least `leadMs` from now. */
export const nextWholeMinute = (leadMs: number) => Math.ceil((Date.now() + leadMs) / 60_000) * 60_000;

export const benchChannels = {
  email: { enabled: true, from: 'bench@bench.example' },
  sms: { enabled: true, from: '+15550001111' },
};

/** A profile as the admin API would store it (defaults applied, validated). */
export const benchProfile = (clientId: string, body: Record<string, unknown>): ClientProfile => ({
  ...profileSchema.parse({ name: `Benchmark ${clientId}`, timezone: 'UTC', ...body }),
  clientId,
});

export interface Deployment {
  env: NodeJS.ProcessEnv;
  api: ApiServer;
  workers: RunningWorkers;
  temporal: Client;
  /** A client with its profile and one API key; its workflows still running at cleanup are terminated. */
  createClient(label: string, body: Record<string, unknown>): Promise<{ clientId: string; apiKey: string }>;
  stop(): Promise<void>;
}

/**
 * Workers and API in this process, started by the project's own code. With `receipts`, the workers ask providers
 * for receipts at this API (whose port is known only once it listens), as `npm run dev` does.
 */
export async function startDeployment(
  ctx: BenchContext,
  env: NodeJS.ProcessEnv,
  options: { receipts?: boolean } = {},
): Promise<Deployment> {
  ensureSdkRuntime();
  deleteTopicsAtEnd(ctx, env, [env.KAFKA_ACK_TOPIC!]);
  const stops: (() => Promise<unknown>)[] = [];
  const stop = once(async () => {
    for (const step of stops.reverse()) await step().catch((err: unknown) => ctx.log(`stop: ${String(err)}`));
  });
  ctx.defer('stop the deployment', stop);

  const api = await startApi(env);
  stops.push(() => api.stop());
  const workerEnv = options.receipts ? { ...env, PUBLIC_BASE_URL: api.url } : env;
  const workers = await startWorkers(workerEnv);
  stops.push(() => workers.stop());
  const temporal = await createTemporalClient(loadConfig(env));
  stops.push(() => temporal.connection.close());

  const createClient = async (label: string, body: Record<string, unknown>) => {
    const clientId = `bench-${label}-${hex(4)}`;
    await saveProfile(benchProfile(clientId, body));
    const { apiKey } = await issueApiKey(clientId);
    stops.push(() => terminateRunning(temporal, clientId, ctx.log));
    return { clientId, apiKey };
  };
  ctx.log(`deployment on task queue ${env.TEMPORAL_TASK_QUEUE} (API ${api.url})`);
  return { env: workerEnv, api, workers, temporal, createClient, stop };
}

/** A bench that fails half-way must not leave workflows running (or waiting for a window) on the shared server. */
export async function terminateRunning(temporal: Client, clientId: string, log: (m: string) => void): Promise<void> {
  const query = `ClientId = '${clientId}' AND ExecutionStatus = 'Running'`;
  const { count } = await temporal.workflow.count(query);
  if (count === 0) return;
  log(`terminating ${count} running workflow(s) of ${clientId}`);
  const ids: string[] = [];
  for await (const run of temporal.workflow.list({ query })) ids.push(run.workflowId);
  await mapConcurrent(ids, 20, (id) =>
    temporal.workflow
      .getHandle(id)
      .terminate('benchmark cleanup')
      .catch(() => undefined),
  );
}

/**
 * Waits until `expected` workflows of the client have completed (visibility), logging progress. Fails when the
 * count has not moved for `stallMs`, which catches a stuck run without guessing how long a full size takes.
 */
export async function waitForCompleted(
  temporal: Client,
  clientId: string,
  expected: number,
  log: (message: string) => void,
  options: { stallMs?: number; intervalMs?: number } = {},
): Promise<{ at: number }> {
  const stallMs = options.stallMs ?? envInt('BENCH_STALL_SECONDS', 120) * 1_000;
  const query = `ClientId = '${clientId}' AND ExecutionStatus = 'Completed'`;
  let seen = -1;
  let movedAt = Date.now();
  let loggedAt = Date.now();
  for (;;) {
    const { count } = await temporal.workflow.count(query);
    const now = Date.now();
    if (count >= expected) return { at: await lastCloseTime(temporal, query) };
    if (count !== seen) {
      seen = count;
      movedAt = now;
    }
    if (now - loggedAt >= 5_000) {
      log(`${count}/${expected} workflows completed`);
      loggedAt = now;
    }
    if (now - movedAt > stallMs) {
      const { count: running } = await temporal.workflow.count(
        `ClientId = '${clientId}' AND ExecutionStatus = 'Running'`,
      );
      throw new Error(
        `stuck at ${count}/${expected} completed workflows for ${stallMs / 1000}s (${running} still running)`,
      );
    }
    await sleep(options.intervalMs ?? 2_000);
  }
}

/**
 * When the last of them closed, by the server's record: exact whatever the polling interval. Polling is sparse
 * because every count scans the dev server's SQLite visibility table (≈ 70 ms of server CPU at 20,000 closed
 * workflows); at 4 polls a second that was a quarter of a core taken from the run it measured.
 */
async function lastCloseTime(temporal: Client, query: string): Promise<number> {
  let last = 0;
  for await (const execution of temporal.workflow.list({ query, pageSize: 1000 }))
    last = Math.max(last, execution.closeTime?.getTime() ?? 0);
  return last;
}

// ---------------------------------------------------------------------------------------------------------------
// Load: closed-loop (N in flight) and open-loop (a steady rate) senders, and the Send API call

/** Runs `fn` over the items with at most `concurrency` in flight, results in item order. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
  onDone?: (done: number) => void,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
      onDone?.(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane));
  return results;
}

/**
 * Starts item i at `i / perSecond` seconds, whether earlier calls have answered or not (an open loop: a slow
 * service meets the same arrivals instead of slowing the client down). `maxInFlight` only guards against a
 * runaway; every start it delays counts as late.
 */
export async function mapAtRate<T, R>(
  items: readonly T[],
  perSecond: number,
  fn: (item: T, index: number) => Promise<R>,
  maxInFlight = 500,
): Promise<{ results: R[]; lateStarts: number; elapsedMs: number }> {
  const results: R[] = new Array<R>(items.length);
  const inFlight = new Set<Promise<void>>();
  const started = Date.now();
  let lateStarts = 0;
  for (let index = 0; index < items.length; index++) {
    const due = started + (index * 1_000) / perSecond;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    if (Date.now() - due > 100) lateStarts++;
    const call: Promise<void> = fn(items[index]!, index).then((result) => {
      results[index] = result;
      inFlight.delete(call);
    });
    inFlight.add(call);
  }
  await Promise.all(inFlight);
  return { results, lateStarts, elapsedMs: Date.now() - started };
}

export interface Answer {
  status: number;
  sentAt: number;
  answeredAt: number;
  error?: string;
}

export async function postMessage(
  apiUrl: string,
  apiKey: string,
  channel: 'email' | 'sms',
  body: unknown,
): Promise<Answer> {
  const sentAt = Date.now();
  try {
    const response = await fetch(`${apiUrl}/v1/messages/${channel}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    return {
      status: response.status,
      sentAt,
      answeredAt: Date.now(),
      ...(response.status === 202 ? {} : { error: text.slice(0, 300) }),
    };
  } catch (err) {
    return { status: 0, sentAt, answeredAt: Date.now(), error: (err as Error).message };
  }
}

/** How many requests got a 202, and what the others answered (the first few, to explain a failed run). */
export function answerSummary(answers: Answer[]) {
  const accepted = answers.filter((a) => a.status === 202).length;
  const others: Record<string, number> = {};
  for (const a of answers) if (a.status !== 202) others[String(a.status)] = (others[String(a.status)] ?? 0) + 1;
  const firstErrors = answers.flatMap((a) => (a.error ? [`${a.status}: ${a.error}`] : [])).slice(0, 3);
  return { accepted, others, firstErrors };
}

/** N emails the sandbox can count one by one. */
export const emailBatch = (prefix: string, count: number) => countableEmails(prefix, count, 'bench.example');

/**
 * Sends a batch through the Send API with `concurrency` requests in flight and returns the answers and the
 * acceptance rate (202s per second).
 */
export async function sendBatch(
  deployment: { api: ApiServer },
  apiKey: string,
  channel: 'email' | 'sms',
  messages: unknown[],
  concurrency: number,
) {
  const started = Date.now();
  const answers = await mapConcurrent(messages, concurrency, (m) =>
    postMessage(deployment.api.url, apiKey, channel, m),
  );
  const elapsedMs = Date.now() - started;
  const summary = answerSummary(answers);
  return { answers, started, elapsedMs, ...summary, acceptedPerSecond: summary.accepted / (elapsedMs / 1_000) };
}

// ---------------------------------------------------------------------------------------------------------------
// Figures: statistics, tables and the JSON result

/** Nearest-rank percentile of already sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function distribution(values: readonly number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1);
  return {
    count: sorted.length,
    min: sorted[0] ?? NaN,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
    mean,
  };
}

export const perSecond = (count: number, ms: number) => (ms > 0 ? count / (ms / 1_000) : NaN);
export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
export const fmt = (value: number, digits = 1) =>
  Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: digits }) : String(value);
export const mib = (bytes: number) => bytes / 1024 / 1024;

export type Cell = string | number;

/** A plain-text table; numbers are right-aligned and formatted. */
export function printTable(title: string, header: string[], rows: Cell[][]): void {
  const text = rows.map((row) => row.map((cell) => (typeof cell === 'number' ? fmt(cell, 2) : cell)));
  const widths = header.map((h, i) => Math.max(h.length, ...text.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[], numeric: boolean[]) =>
    cells.map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ');
  console.log(`\n${title}`);
  console.log(
    line(
      header,
      header.map(() => false),
    ),
  );
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (let r = 0; r < rows.length; r++)
    console.log(
      line(
        text[r]!,
        rows[r]!.map((cell) => typeof cell === 'number'),
      ),
    );
}

/** A two-column table of named figures. */
export const printFigures = (title: string, figures: [string, Cell][]) =>
  printTable(title, ['figure', 'value'], figures);

function gitRevision(): string | undefined {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: repoRoot }).toString().trim();
    return dirty ? `${commit}+uncommitted src changes` : commit;
  } catch {
    return undefined;
  }
}

const loadAtStart = os.loadavg();
const startedAt = new Date();

/**
 * Writes `.bench/<file>.json` with the figures and what they were measured on; the load average is there
 * because this machine is shared, and a neighbour's load explains a slow run.
 */
export function writeResult(file: string, result: Record<string, unknown>): string {
  fs.mkdirSync(benchDir, { recursive: true });
  const target = path.join(benchDir, `${file}.json`);
  const document = {
    bench: file,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    revision: gitRevision(),
    machine: {
      cpus: os.cpus().length,
      node: process.version,
      loadAverageAtStart: loadAtStart.map((v) => round(v)),
      loadAverageAtEnd: os.loadavg().map((v) => round(v)),
    },
    ...result,
  };
  fs.writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
  console.log(
    `\nresult: ${path.relative(repoRoot, target)} (load average ${loadAtStart.map((v) => fmt(v, 2)).join(' ')} at start, ${os
      .loadavg()
      .map((v) => fmt(v, 2))
      .join(' ')} at end)`,
  );
  return target;
}

export function readResult<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(benchDir, `${file}.json`), 'utf8')) as T;
  } catch {
    return undefined;
  }
}
