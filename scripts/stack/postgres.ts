import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { stackPaths } from './paths';
import { runToCompletion, spawnDetached, StackError } from './processes';
import { productionPorts, productionServerName } from './production-layout';
import type { StackServer } from './server';

const name = productionServerName('postgres');
const port = productionPorts.postgres;

/** Debian's `postgresql` package puts each major version's server binaries here (not on PATH). */
const debianRoot = '/usr/lib/postgresql';

function serverBinaries(): { version: string; bin: string } {
  const versions = fs.existsSync(debianRoot)
    ? fs
        .readdirSync(debianRoot)
        .filter((v) => fs.existsSync(path.join(debianRoot, v, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const version = versions[0];
  if (version === undefined)
    throw new StackError(
      `${name}: no ${debianRoot}/<version>/bin/postgres; install it with \`apt-get install postgresql\``,
    );
  return { version, bin: path.join(debianRoot, version, 'bin') };
}

// A cluster's files are tied to the major version that made them, hence the version in the folder's name.
const dataDir = () => path.join(stackPaths.productionData, `postgres-${serverBinaries().version}`);

/**
 * PostgreSQL refuses to run as root, which is who runs the stack here. Then initdb and postgres run as the
 * `postgres` user the Debian package creates, through setpriv, which execs: the pid we record is the postmaster's
 * own, so stopping and killing it reach PostgreSQL itself.
 */
const runningAsRoot = () => process.getuid?.() === 0;

function asPostgresUser(command: string, args: string[]): [string, string[]] {
  if (!runningAsRoot()) return [command, args];
  return ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', command, ...args]];
}

const postgresUserIds = () => {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
};

async function initClusterOnce(): Promise<void> {
  const dir = dataDir();
  if (fs.existsSync(path.join(dir, 'PG_VERSION'))) return;
  fs.rmSync(dir, { recursive: true, force: true });
  // The postgres user must reach the folder through its parents; only the folder itself is private.
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  fs.mkdirSync(dir, { mode: 0o700 });
  if (runningAsRoot()) {
    const { uid, gid } = postgresUserIds();
    fs.chownSync(dir, uid, gid);
  }
  // Trust on loopback: a local profile with no secrets to keep; listen_addresses below keeps it on 127.0.0.1.
  const [command, args] = asPostgresUser(path.join(serverBinaries().bin, 'initdb'), [
    '--pgdata',
    dir,
    '--username=postgres',
    '--auth=trust',
    '--encoding=UTF8',
    '--locale=C.UTF-8',
    '--no-instructions',
  ]);
  await runToCompletion(name, command, args);
}

/** Runs SQL as the superuser and resolves to its rows; stops at the first error, which then names the statement. */
export function psql(sql: string, database = 'postgres'): Promise<string> {
  const psqlBin = path.join(serverBinaries().bin, 'psql');
  const connection = ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', database];
  const args = [...connection, '-X', '-q', '-tA', '-v', 'ON_ERROR_STOP=1', '-f', '-'];
  return new Promise((resolve, reject) => {
    const child = execFile(psqlBin, args, { encoding: 'utf8' }, (err, stdout, stderr) =>
      err ? reject(new Error(`psql: ${stderr.trim() || err.message}`)) : resolve(stdout.trim()),
    );
    // psql exits at once when the server refuses the connection; its exit, not the broken pipe, says why.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(sql);
  });
}

/** Each user of the cluster gets a login role and the databases it owns. */
export const postgresDatabases = { temporal: ['temporal', 'temporal_visibility'], ferretdb: ['ferretdb'] } as const;

const createRolesAndDatabases = () =>
  Object.entries(postgresDatabases)
    .flatMap(([role, databases]) => [
      `SELECT 'CREATE ROLE ${role} LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}')\\gexec`,
      ...databases.map(
        (db) =>
          `SELECT 'CREATE DATABASE ${db} OWNER ${role}' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '${db}')\\gexec`,
      ),
    ])
    .join('\n');

export const postgresServer: StackServer = {
  name,
  ports: [port],
  startTimeoutMs: 60_000,
  // Fast shutdown: SIGTERM would wait for every client (Temporal, FerretDB) to disconnect first.
  stopSignal: 'SIGINT',
  urls: { PostgreSQL: `postgres://postgres@127.0.0.1:${port}/postgres` },
  // Nothing to build, Debian's package is the cache; but fail now, before anything starts, if it is missing.
  ensureBuilt: () => Promise.resolve(void serverBinaries()),
  start: async () => {
    await initClusterOnce();
    const [command, args] = asPostgresUser(path.join(serverBinaries().bin, 'postgres'), [
      '-D',
      dataDir(),
      '-c',
      'listen_addresses=127.0.0.1',
      '-p',
      String(port),
      // TCP only: no socket in /var/run/postgresql (another cluster's place) nor in our folder.
      '-c',
      'unix_socket_directories=',
      // Temporal opens a pool per service and store (four services in one process) besides FerretDB's.
      '-c',
      'max_connections=200',
    ]);
    return spawnDetached(name, command, args);
  },
  probe: async () => (await psql('SELECT 1')) === '1',
  setUp: async () => {
    await psql(createRolesAndDatabases());
    return true;
  },
};
