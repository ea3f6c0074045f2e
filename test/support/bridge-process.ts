import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { testEnv } from './harness';
import { eventually } from './http';

const root = path.join(__dirname, '..', '..');

/** The bridge as its own process, so a test can SIGKILL it like a crashed container. */
export async function spawnBridge(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src', 'kafka-bridge', 'main.ts')], {
    cwd: root,
    env: { ...process.env, ...testEnv, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit');
  const url = await eventually(
    () => {
      if (child.exitCode !== null) throw new Error(`the bridge exited at start:\n${output}`);
      return Promise.resolve(/"url":"(http:\/\/[^"]+)"[^\n]*bridge running/.exec(output)?.[1]);
    },
    'the bridge process to start',
    60_000,
  );
  return {
    url,
    kill: async (signal: NodeJS.Signals) => {
      child.kill(signal);
      await exited;
    },
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
