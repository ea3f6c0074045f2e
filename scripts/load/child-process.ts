import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { once, sleep, withTimeout } from './async';
import { cpuSecondsOf, rssOf } from './proc-stats';

export const repoRoot = path.resolve(__dirname, '..', '..');

export interface ChildOptions {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** A pattern its output must show (its first group, if any, becomes `captured`), or a probe. */
  ready: RegExp | (() => Promise<boolean>);
  timeoutMs?: number;
  /** Where all of its output goes; only a tail is kept in memory. */
  logFile?: string;
  /** Given the stop at once, before readiness: a cleanup that runs while it starts must stop it too. */
  onSpawn?: (stop: () => Promise<void>) => void;
}

export interface RunningChild {
  name: string;
  pid: number;
  /** What `ready` captured (a URL for a server), if it was a pattern with a group. */
  captured?: string;
  alive(): boolean;
  /** The last 16 KiB of its stdout and stderr. */
  output(): string;
  rssBytes(): number;
  /** User + system CPU seconds since the process started. */
  cpuSeconds(): number;
  /** Sends the signal (SIGKILL for a crash) and resolves once the process has exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** SIGTERM, then SIGKILL after 20 s; safe to call more than once. */
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();
// The last resort when a script or test run dies without stopping them: no orphan server or worker stays behind.
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** A process of the caller's own, started in the repository root, ready once its output or a probe says so. */
export async function startProcess(options: ChildOptions): Promise<RunningChild> {
  const log = options.logFile === undefined ? undefined : openLog(options.logFile);
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
    log?.write(chunk);
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
      log?.end();
      resolve();
    }),
  );
  const alive = () => child.exitCode === null && child.signalCode === null;
  const kill = async (signal: NodeJS.Signals) => {
    if (!alive()) return;
    child.kill(signal);
    await exited;
  };
  const stop = once(async () => {
    if (!alive()) return;
    child.kill('SIGTERM');
    const ended = await withTimeout(exited, 20_000, options.name).then(
      () => true,
      () => false,
    );
    if (!ended) await kill('SIGKILL');
  });
  options.onSpawn?.(stop);

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
    name: options.name,
    pid,
    captured,
    alive,
    output: () => tail,
    rssBytes: () => rssOf(pid),
    cpuSeconds: () => cpuSecondsOf(pid),
    kill,
    stop,
  };
}

function openLog(file: string): fs.WriteStream {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return fs.createWriteStream(file);
}
