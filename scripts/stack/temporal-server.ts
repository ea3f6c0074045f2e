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

/** The files of a frontend that accepts only clients with a certificate from its CA. */
export interface FrontendTlsFiles {
  serverCert: string;
  serverKey: string;
  ca: string;
}

/** The frontend a server process runs: the cluster's own (plain gRPC and the HTTP API), or one beside it. */
export interface Frontend {
  grpcPort: number;
  membershipPort: number;
  httpPort?: number;
  tls?: FrontendTlsFiles;
}

const clusterFrontend: Frontend = {
  grpcPort: ports.frontend,
  membershipPort: ports.frontendMembership,
  httpPort: ports.frontendHttp,
};

// JSON strings are YAML strings: a path with any character in it stays one value.
const frontendTls = (files: FrontendTlsFiles) => `
  tls:
    frontend:
      server:
        certFile: ${JSON.stringify(files.serverCert)}
        keyFile: ${JSON.stringify(files.serverKey)}
        clientCaFiles: [${JSON.stringify(files.ca)}]
        requireClientAuth: true`;

/**
 * A small self-hosted cluster: all four services in one process, and optionally a further frontend process with a
 * config of its own. The shard count is fixed when the database is first used: changing it later needs a new
 * database (delete the profile's postgres folder). The system worker's client is pinned to the plain frontend:
 * left to membership, it would also pick a frontend that demands a certificate it does not have.
 */
const serverConfig = (frontend: Frontend) => `log:
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
    broadcastAddress: 127.0.0.1${frontend.tls ? frontendTls(frontend.tls) : ''}
services:
  frontend:${service(frontend.grpcPort, frontend.membershipPort, frontend.httpPort ? `\n      httpPort: ${frontend.httpPort}` : '')}
  history:${service(ports.history, ports.historyMembership)}
  matching:${service(ports.matching, ports.matchingMembership)}
  worker:${service(ports.worker, ports.workerMembership)}
publicClient:
  hostPort: ${address}
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

/** Writes a server config under `home` and spawns the server binary running `services` of it. */
export function spawnTemporalServer(serverName: string, home: string, services: string[], frontend: Frontend) {
  return spawnDetached(serverName, binaryPath(serverTool, binDir), [
    ...writeTemporalConfig(home, serverConfig(frontend)),
    // Loopback only, and no authorizer, like the dev server; the flag says so instead of a warning at every start.
    '--allow-no-auth',
    'start',
    ...services.flatMap((s) => ['--service', s]),
  ]);
}

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
    fs.mkdirSync(home, { recursive: true });
    fs.writeFileSync(dynamicConfigFile, dynamicConfig);
    return spawnTemporalServer(name, home, ['frontend', 'history', 'matching', 'worker'], clusterFrontend);
  },
  probe: frontendAnswers(address),
  setUp: setUpNamespace(address, { create: { retentionDays: 3 } }),
};
