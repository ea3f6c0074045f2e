import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ferretdbTool } from '../../scripts/stack/ferretdb';
import { binaryPath, ensureGoTool } from '../../scripts/stack/go-tool';
import { stackUp } from '../../scripts/stack';
import { assertPortsFree, spawnDetached, stopProcess, StackError, waitReady } from '../../scripts/stack/processes';

describe('the local stack scripts', () => {
  it('starting the stack again while it runs reuses every server', async function () {
    this.timeout(120_000);
    const outcomes = await stackUp();
    assert.deepEqual(Object.values(outcomes), ['reused', 'reused', 'reused', 'reused']);
  });

  it('a port held by another process fails loudly, naming the port', async () => {
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      await assert.rejects(assertPortsFree('demo-server', [port]), (err: unknown) => {
        assert.ok(err instanceof StackError);
        assert.match(err.message, new RegExp(`demo-server: port ${port} .* taken`));
        return true;
      });
    } finally {
      blocker.close();
    }
  });

  it('a server that dies during start-up fails loudly with the end of its log, instead of hanging', async () => {
    const pid = spawnDetached('test-dies-at-start', 'sh', ['-c', 'echo "fatal: cannot bind"; exit 3']);
    try {
      await assert.rejects(
        waitReady('test-dies-at-start', pid, () => Promise.resolve(false), 20_000),
        (err: unknown) =>
          err instanceof StackError && /exited during start-up/.test(err.message) && /cannot bind/.test(err.message),
      );
    } finally {
      await stopProcess('test-dies-at-start');
    }
  });

  it('a broken cached binary is detected and rebuilt', async function () {
    this.timeout(300_000);
    const binDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-bin-'));
    try {
      const tool = ferretdbTool(binDir);
      await ensureGoTool(tool, binDir);
      fs.writeFileSync(binaryPath(tool, binDir), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
      await ensureGoTool(tool, binDir);
      assert.doesNotThrow(() => execFileSync(binaryPath(tool, binDir), ['-h'], { stdio: 'ignore' }));
    } finally {
      fs.rmSync(binDir, { recursive: true, force: true });
    }
  });
});
