import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import mongoose from 'mongoose';
import { binaryPath, ensureGoTool, type GoTool } from './go-tool';
import { stackPaths, stackRoot } from './paths';
import { spawnDetached, StackError } from './processes';
import type { StackServer } from './server';

const exec = promisify(execFile);

/** Our wrapper around FerretDB v1.24.2's embeddable package (see ferretdb-server/main.go for why). */
const sourceDir = path.join(__dirname, 'ferretdb-server');
/** What the build is made from: our sources and the mends below. */
const sourceHash = () => {
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum', 'main.go']) hash.update(fs.readFileSync(path.join(sourceDir, file)));
  hash.update(JSON.stringify(idLookups));
  return hash.digest('hex').slice(0, 16);
};

const sqliteDir = path.join(stackPaths.data, 'ferretdb');

/**
 * FerretDB 1.24.2 finds documents by `_id` in a way neither backend's `_id` index serves, so every lookup scanned
 * the whole collection and the service slowed as its delivery records grew. The build uses a copy of the module
 * with both lookups mended (Go refuses `-overlay` inside the module cache), through a generated go.mod with a
 * `replace`; the indexes already on disk are the ones the mended queries use, so no data needs migrating.
 */
const idLookups = [
  {
    // The query reads `_ferretdb_sjson->'$._id'`, the index `_ferretdb_sjson->"_id"`: the same member, but SQLite
    // only uses an index whose expression is spelled like the query's. 34 ms per read at 10,000 records, 72 at 30,000.
    file: 'internal/backends/sqlite/metadata/metadata.go',
    from: `"->'$._id'"`,
    to: '`->"_id"`',
  },
  {
    // The query pushes `{_id: v}` down as `_jsonb->$1 @> $2`: a containment test with the key as a parameter, which
    // the btree index on `(_jsonb->'_id')` cannot serve. 14 ms per read at 10,000 records, 47 at 30,000. For a
    // string or ObjectId `_id` this is plain equality on the indexed expression; FerretDB filters every result in
    // Go again afterwards, so the pushdown only has to keep every match, as equality does.
    file: 'internal/backends/postgresql/query.go',
    from: 'func filterEqual(p *metadata.Placeholder, k any, v any, operator string) (filter string, args []any) {\n',
    to:
      'func filterEqual(p *metadata.Placeholder, k any, v any, operator string) (filter string, args []any) {\n' +
      '\tswitch v.(type) {\n' +
      '\tcase string, types.ObjectID:\n' +
      '\t\tif k == "_id" {\n' +
      '\t\t\treturn metadata.IDColumn + " = " + p.Next(), []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}\n' +
      '\t\t}\n' +
      '\t}\n',
  },
];
const buildDir = path.join(stackRoot, 'build', 'ferretdb-server');
const modFile = path.join(buildDir, 'go.mod');

async function preparePatchedModule(): Promise<void> {
  const module = 'github.com/FerretDB/FerretDB';
  await exec('go', ['mod', 'download', module], { cwd: sourceDir });
  const { stdout } = await exec('go', ['list', '-m', '-f', '{{.Dir}}', module], { cwd: sourceDir });
  const patchedModule = path.join(buildDir, 'module');
  fs.rmSync(buildDir, { recursive: true, force: true });
  fs.cpSync(stdout.trim(), patchedModule, { recursive: true });
  // The module cache is read-only; so would the copy be, and a later rebuild could not delete it.
  await exec('chmod', ['-R', 'u+w', patchedModule]);
  for (const lookup of idLookups) {
    const file = path.join(patchedModule, lookup.file);
    const source = fs.readFileSync(file, 'utf8');
    if (source.split(lookup.from).length !== 2)
      throw new StackError(`${file}: expected ${lookup.from.trim()} exactly once; did the FerretDB version change?`);
    fs.writeFileSync(file, source.replace(lookup.from, lookup.to));
  }
  const goMod = fs.readFileSync(path.join(sourceDir, 'go.mod'), 'utf8');
  fs.writeFileSync(modFile, `${goMod}\nreplace ${module} => ${patchedModule}\n`);
  fs.copyFileSync(path.join(sourceDir, 'go.sum'), path.join(buildDir, 'go.sum'));
}

export const ferretdbTool = (binDir = stackPaths.bin): GoTool => ({
  name: 'ferretdb-server',
  binary: 'ferretdb-server',
  fingerprint: `ferretdb-server ${sourceHash()}`,
  prepare: preparePatchedModule,
  goArgs: ['build', `-modfile=${modFile}`, '-o', path.join(binDir, 'ferretdb-server'), '.'],
  cwd: sourceDir,
  smokeArgs: ['-h'],
});

/** A FerretDB on the given storage: `-sqlite-url=…` or `-postgresql-url=…` of the wrapper. */
export const ferretdbOn = (server: {
  name: string;
  port: number;
  storageArg: () => string;
  needs?: StackServer[];
}): StackServer => ({
  name: server.name,
  ports: [server.port],
  needs: server.needs,
  startTimeoutMs: 30_000,
  urls: { MongoDB: `mongodb://127.0.0.1:${server.port}/communication` },
  ensureBuilt: () => ensureGoTool(ferretdbTool()),
  start: () =>
    spawnDetached(server.name, binaryPath(ferretdbTool()), [
      `-listen-addr=127.0.0.1:${server.port}`,
      server.storageArg(),
      '-log-level=warn',
    ]),
  probe: async () => {
    const connection = await mongoose
      .createConnection(`mongodb://127.0.0.1:${server.port}/stack-probe`, { serverSelectionTimeoutMS: 1_000 })
      .asPromise();
    try {
      await connection.db?.admin().ping();
      return true;
    } finally {
      await connection.close();
    }
  },
});

export const ferretdbServer = ferretdbOn({
  name: 'ferretdb',
  port: 27017,
  storageArg: () => {
    fs.mkdirSync(sqliteDir, { recursive: true });
    return `-sqlite-url=file:${sqliteDir}/`;
  },
});
