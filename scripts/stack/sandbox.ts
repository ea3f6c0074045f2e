import path from 'node:path';
import { spawnDetached } from './processes';
import type { StackServer } from './server';

const port = Number(process.env.SANDBOX_PORT ?? 4010);
const root = path.join(__dirname, '..', '..');

/** Our own provider sandbox (src/sandbox), run as a separate process like the real providers would be. */
export const sandboxServer: StackServer = {
  name: 'sandbox',
  ports: [port],
  startTimeoutMs: 30_000,
  urls: { 'Provider sandbox inbox': `http://127.0.0.1:${port}/` },
  ensureBuilt: async () => {},
  start: () =>
    spawnDetached('sandbox', process.execPath, ['--import', 'tsx', path.join(root, 'src', 'sandbox', 'main.ts')], {
      cwd: root,
      env: { ...process.env, SANDBOX_PORT: String(port) },
    }),
  probe: async () => (await fetch(`http://127.0.0.1:${port}/sandbox/health`)).ok,
};
