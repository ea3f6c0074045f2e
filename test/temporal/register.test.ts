import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { parse } from 'yaml';
import { stackPaths } from '../../scripts/stack/paths';
import { register } from '../support/register-cli';

const run = promisify(execFile);
const root = path.join(__dirname, '..', '..');
const temporalCli = path.join(stackPaths.bin, 'temporal');
const { IndexedValueType } = temporal.api.enums.v1;

/** SPEC §6, written out here rather than read from the code under test. */
const expected = {
  ClientId: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  MessageId: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  DeliveryStatus: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Channels: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

describe('npm run temporal:register against a Temporal server nobody configured', function () {
  this.timeout(120_000);
  let server: ChildProcess;
  let address: string;
  let connection: Connection;

  const cli = (...args: string[]) => run(temporalCli, [...args, '--address', address], { timeout: 30_000 });
  const attributes = async (namespace: string) =>
    (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};

  before(async () => {
    const port = await freePort();
    address = `127.0.0.1:${port}`;
    // A dev server of the same binary as the stack's, in memory, with no search attribute declared.
    server = spawn(
      temporalCli,
      ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'error'],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        connection = await Connection.connect({ address, connectTimeout: 1_000 });
        await connection.workflowService.getSystemInfo({});
        break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    assert.deepEqual(Object.keys(await attributes('default')), []);
  });

  after(async () => {
    await connection?.close();
    server?.kill('SIGTERM');
  });

  it('registers all four attributes with their types, and a second run changes nothing', async () => {
    const first = await register('--address', address, '--namespace', 'default');
    assert.equal(first.code, 0, first.output);
    assert.match(first.output, /registered ClientId, MessageId, Channels, DeliveryStatus/);
    assert.deepEqual(await attributes('default'), expected);

    const second = await register('--address', address, '--namespace', 'default');
    assert.equal(second.code, 0, second.output);
    assert.match(second.output, /registered none; already there ClientId, MessageId, Channels, DeliveryStatus/);
    assert.deepEqual(await attributes('default'), expected);
  });

  it('fails with the reason when an attribute is there with another type', async () => {
    await cli('operator', 'namespace', 'create', '--namespace', 'wrong-type');
    await cli(
      'operator',
      'search-attribute',
      'create',
      '--namespace',
      'wrong-type',
      '--name',
      'MessageId',
      '--type',
      'Text',
    );
    const result = await register('--address', address, '--namespace', 'wrong-type');
    assert.notEqual(result.code, 0);
    assert.match(result.output, /MessageId is registered in namespace wrong-type as TEXT, not KEYWORD/);
  });

  it('fails with the reason when the namespace does not exist', async () => {
    const result = await register('--address', address, '--namespace', 'no-such-namespace');
    assert.notEqual(result.code, 0);
    assert.match(result.output, /temporal:register failed: .*no-such-namespace/);
  });

  it("the compose file's one-shot registers the same attributes with the Temporal CLI", async () => {
    await cli('operator', 'namespace', 'create', '--namespace', 'compose');
    const compose = parse(fs.readFileSync(path.join(root, 'temporal-docker-compose.yml'), 'utf8')) as {
      services: Record<string, { command: string[] }>;
    };
    const script = compose.services['temporal-search-attributes']!.command.join('\n');
    // The admin-tools image's `temporal` is the same CLI as ours; run its script against this server.
    const shimDir = fs.mkdtempSync(path.join(stackPaths.run, 'cli-shim-'));
    fs.symlinkSync(temporalCli, path.join(shimDir, 'temporal'));
    try {
      await run('sh', ['-ec', script.replaceAll('--namespace default', '--namespace compose')], {
        env: { ...process.env, PATH: `${shimDir}:${process.env.PATH}`, TEMPORAL_ADDRESS: address },
        timeout: 60_000,
      });
    } finally {
      fs.rmSync(shimDir, { recursive: true, force: true });
    }
    assert.deepEqual(await attributes('compose'), expected);
  });

  it('exits non-zero naming the server when nothing listens there', async () => {
    const port = await freePort();
    const result = await register('--address', `127.0.0.1:${port}`);
    assert.notEqual(result.code, 0);
    assert.match(result.output, new RegExp(`Temporal at 127\\.0\\.0\\.1:${port} unreachable after 10 s`));
  });
});
