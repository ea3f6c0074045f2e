import fs from 'node:fs';
import path from 'node:path';
import { binaryPath, ensureGoTool, type GoTool } from './go-tool';
import { stackPaths } from './paths';
import { postgresDatabases, postgresServer } from './postgres';
import { runToCompletion, spawnDetached } from './processes';
import { productionPorts, productionServerName } from './production-layout';
import type { StackServer } from './server';
import { writeTemporalConfig } from './temporal-config-file';
import { frontendAnswers, setUpNamespace } from './temporal-namespace';

/** The server release inside the dev profile's CLI v1.5.1, so both profiles run the same Temporal. */
const serverModule = 'go.temporal.io/server@v1.29.1';
const moduleCommand = (command: string) => serverModule.replace('@', `/${command}@`);

const name = productionServerName('temporal-server');
// Its own folder: the Web UI's binary is called `server` too.
const binDir = path.join(stackPaths.bin, 'temporal-server');
const goInstall = (toolName: string, binary: string, command: string, smokeArgs: string[]): GoTool => ({
  name: productionServerName(toolName),
  binary,
  fingerprint: moduleCommand(command),
  goArgs: ['install', moduleCommand(command)],
  smokeArgs,
});
const serverTool = goInstall('temporal-server', 'server', 'cmd/server', ['--version']);
/** Temporal's schema tool; its binary carries the schemas of its release, which the server of that release expects. */
const sqlTool = goInstall('temporal-sql', 'sql', 'cmd/tools/sql', ['--help']);

const ports = productionPorts.temporal;
const address = `127.0.0.1:${ports.frontend}`;
const home = path.join(stackPaths.productionData, 'temporal');
const dynamicConfigFile = path.join(home, 'dynamicconfig.yaml');
const [defaultDb, visibilityDb] = postgresDatabases.temporal;

const sqlStore = (database: string, maxConns: number) => `
      sql:
        pluginName: postgres12
        databaseName: ${database}
        connectAddr: 127.0.0.1:${productionPorts.postgres}
        connectProtocol: tcp
        user: temporal
        maxConns: ${maxConns}
        maxIdleConns: ${maxConns}
        maxConnLifetime: 1h`;

const service = (grpcPort: number, membershipPort: number, extra = '') => `
    rpc:
      grpcPort: ${grpcPort}
      membershipPort: ${membershipPort}
      bindOnIP: 127.0.0.1${extra}`;

/**
 * All four services in one process, as a small self-hosted cluster runs them. The shard count is fixed when the
 * database is first used: changing it later needs a new database (delete the profile's postgres folder).
 */
const serverConfig = () => `log:
  stdout: true
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: 4
  datastores:
    default:${sqlStore(defaultDb, 20)}
    visibility:${sqlStore(visibilityDb, 10)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
services:
  frontend:${service(ports.frontend, ports.frontendMembership, `\n      httpPort: ${ports.frontendHttp}`)}
  history:${service(ports.history, ports.historyMembership)}
  matching:${service(ports.matching, ports.matchingMembership)}
  worker:${service(ports.worker, ports.workerMembership)}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: ${address}
      httpAddress: 127.0.0.1:${ports.frontendHttp}
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: ${dynamicConfigFile}
  pollInterval: 10s
`;

/**
 * The server's defaults but one: visibility calls are capped at 10/s per namespace, which the tests' polling of
 * workflow lists exceeds; the CLI's dev server raises it to 100 for the same reason.
 */
const dynamicConfig = `frontend.namespaceRPS.visibility:
  - value: 100
`;

/** Temporal's own schema tool, as its docs run it: version tables first, then every versioned step not yet applied. */
async function applySchemas(): Promise<void> {
  const schemas: [string, string][] = [
    [defaultDb, 'postgresql/v12/temporal'],
    [visibilityDb, 'postgresql/v12/visibility'],
  ];
  for (const [database, schemaName] of schemas) {
    const connection = ['--ep', '127.0.0.1', '-p', String(productionPorts.postgres), '-u', 'temporal'];
    const tool = [...connection, '--pl', 'postgres12', '--db', database];
    const run = (args: string[]) =>
      runToCompletion(productionServerName('temporal-schema'), binaryPath(sqlTool, binDir), [...tool, ...args]);
    await run(['setup-schema', '-v', '0.0']);
    // The schemas embedded in the tool are the same files as the module's schema/ folder, of the same release.
    await run(['update-schema', '--schema-name', schemaName]);
  }
}

export const temporalClusterServer: StackServer = {
  name,
  ports: Object.values(ports),
  needs: [postgresServer],
  startTimeoutMs: 120_000,
  urls: { 'Temporal gRPC': address },
  ensureBuilt: async () => {
    await ensureGoTool(serverTool, binDir);
    await ensureGoTool(sqlTool, binDir);
  },
  start: async () => {
    await applySchemas();
    const configFlags = writeTemporalConfig(home, serverConfig());
    fs.writeFileSync(dynamicConfigFile, dynamicConfig);
    return spawnDetached(name, binaryPath(serverTool, binDir), [
      ...configFlags,
      // Loopback only, and no authorizer, like the dev server; the flag says so instead of a warning at every start.
      '--allow-no-auth',
      'start',
      ...['frontend', 'history', 'matching', 'worker'].flatMap((s) => ['--service', s]),
    ]);
  },
  probe: frontendAnswers(address),
  setUp: setUpNamespace(address, { create: { retentionDays: 3 } }),
};
