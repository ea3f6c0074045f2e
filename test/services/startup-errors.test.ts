import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.join(__dirname, '..', '..');

/** A port nothing listens on: taken and released at once. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

/** Starts an entry point as production does and resolves with how it ended; it must end by itself. */
async function start(entry: string, env: NodeJS.ProcessEnv) {
  try {
    await run(process.execPath, ['--import', 'tsx', path.join(root, entry)], {
      cwd: root,
      env: { PATH: process.env.PATH, ...env },
      timeout: 60_000,
    });
    return { code: 0, stderr: '' };
  } catch (err) {
    const failed = err as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

describe('a process that cannot reach a dependency at start names it', function () {
  this.timeout(90_000);

  it('the API: MongoDB at its address (without credentials), after its deadline', async () => {
    const port = await closedPort();
    const result = await start('src/api/main.ts', {
      ADMIN_API_KEY: 'a'.repeat(20),
      MONGODB_URI: `mongodb://user:hunter2secret@127.0.0.1:${port}/communication?authSource=admin`,
    });
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      new RegExp(`MongoDB at mongodb://127\\.0\\.0\\.1:${port}/communication unreachable after 15 s`),
    );
    assert.doesNotMatch(result.stderr, /hunter2secret/);
  });

  it('a provider worker: Temporal at its address, after 10 s', async () => {
    const port = await closedPort();
    const result = await start('src/worker/main.ts', {
      WORKER_ROLES: 'email',
      POSTMARK_SERVER_TOKEN: 'token',
      TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`Temporal at 127\\.0\\.0\\.1:${port} unreachable after 10 s`));
  });
});
