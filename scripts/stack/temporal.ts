import fs from 'node:fs';
import path from 'node:path';
import { binaryPath, ensureGoTool, type GoTool } from './go-tool';
import { stackPaths } from './paths';
import { spawnDetached } from './processes';
import type { StackServer } from './server';
import { namespace, namespaceAnswers, setUpNamespace } from './temporal-namespace';

/** v1.5.x is the newest CLI line whose go.mod has no `replace`, so `go install` from the proxy works (see README). */
const cliModule = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';
const temporalCli: GoTool = {
  name: 'temporal',
  binary: 'temporal',
  fingerprint: cliModule,
  goArgs: ['install', cliModule],
  smokeArgs: ['--version'],
};

const port = 7233;
const uiPort = 8233;
const address = `127.0.0.1:${port}`;

/** The Web UI decodes payloads through the codec server of `npm run dev`'s API, which runs on port 3000. */
export const devApiPort = 3000;
export const uiCodecEndpoint = `http://127.0.0.1:${devApiPort}/codec`;
/** The origins the UI is opened from, which the codec server must answer from the browser. */
export const uiOrigins = [`http://127.0.0.1:${uiPort}`, `http://localhost:${uiPort}`];

/**
 * The dev server's command line; benchmarks start a throw-away server of their own with the same binary and flags.
 * It registers no search attributes: the stack registers them afterwards the way users do (setUpNamespace).
 */
export const temporalDevServerCommand = (server: { port: number; uiPort: number; dbFile: string }) => ({
  command: binaryPath(temporalCli),
  args: [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(server.port),
    '--ui-port',
    String(server.uiPort),
    '--namespace',
    namespace,
    // A file, not memory: waiting messages must survive a restart of the local server too.
    '--db-filename',
    server.dbFile,
    // WAL with synchronous=NORMAL syncs at checkpoints, not at every commit: a killed server loses nothing,
    // only a crash of the machine itself can lose the last commits. With the default (a sync per commit)
    // this disk spent two thirds of its time in I/O wait at a few workflows per second.
    '--sqlite-pragma',
    'journal_mode=wal',
    '--sqlite-pragma',
    'synchronous=normal',
    '--ui-codec-endpoint',
    uiCodecEndpoint,
    '--log-level',
    'warn',
  ],
});

export const temporalServer: StackServer = {
  name: 'temporal',
  ports: [port, uiPort],
  startTimeoutMs: 60_000,
  urls: { 'Temporal gRPC': address, 'Temporal Web UI': `http://127.0.0.1:${uiPort}` },
  ensureBuilt: () => ensureGoTool(temporalCli),
  start: () => {
    fs.mkdirSync(stackPaths.data, { recursive: true });
    const { command, args } = temporalDevServerCommand({
      port,
      uiPort,
      dbFile: path.join(stackPaths.data, 'temporal.db'),
    });
    return spawnDetached('temporal', command, args);
  },
  probe: namespaceAnswers(address),
  setUp: setUpNamespace(address),
};
