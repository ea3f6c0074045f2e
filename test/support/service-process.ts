import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { testEnv } from './harness';
import { eventually } from './http';

const root = path.join(__dirname, '..', '..');

export type ServiceKind = 'api' | 'worker' | 'bridge';

const entryPoints: Record<ServiceKind, string> = {
  api: 'src/api/main.ts',
  worker: 'src/worker/main.ts',
  bridge: 'src/kafka-bridge/main.ts',
};

/** The log line each process writes once it serves, with its URL where it has one. */
const readyLines: Record<ServiceKind, RegExp> = {
  api: /"url":"(http:\/\/[^"]+)"[^\n]*API listening/,
  worker: /()"msg":"workers running"/,
  bridge: /"url":"(http:\/\/[^"]+)"[^\n]*bridge running/,
};

export interface ServiceProcess {
  /** The HTTP address of the API or the bridge's health server; empty for workers. */
  url: string;
  pid: number;
  kill(signal: NodeJS.Signals): Promise<void>;
  /** Resident memory now, from /proc. */
  rssBytes(): number;
  alive(): boolean;
  output(): string;
}

/** A part of the service as its own process, started as production starts it, so a test can SIGKILL it like a crashed container. */
export async function spawnService(kind: ServiceKind, env: NodeJS.ProcessEnv): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, entryPoints[kind])], {
    cwd: root,
    // Info at least: readiness is read from the log.
    env: { ...process.env, ...testEnv, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit');
  const url = await eventually(
    () => {
      if (child.exitCode !== null) throw new Error(`the ${kind} exited at start:\n${output}`);
      return Promise.resolve(readyLines[kind].exec(output)?.[1]);
    },
    `the ${kind} process to start`,
    90_000,
  );
  return {
    url,
    pid: child.pid!,
    kill: async (signal) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
    rssBytes: () => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]) * 1024,
    alive: () => child.exitCode === null && child.signalCode === null,
    output: () => output,
  };
}

/** Sums a counter of the bridge's Prometheus text by label filter, e.g. `outcome="started"`. */
export async function counterOf(url: string, name: string, labelFilter = ''): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) && line.includes(labelFilter))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}
