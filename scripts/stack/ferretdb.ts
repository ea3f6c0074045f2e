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
const sourceHash = () => {
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum', 'main.go']) hash.update(fs.readFileSync(path.join(sourceDir, file)));
  return hash.digest('hex').slice(0, 16);
};

const port = 27017;
const dataDir = path.join(stackPaths.data, 'ferretdb');

/**
 * FerretDB 1.24.2's SQLite backend finds documents by `_ferretdb_sjson->'$._id'` but indexes `_id` as
 * `_ferretdb_sjson->"_id"`. Both read the same member, yet SQLite only uses an index whose expression is written
 * the same way as the query's, so every lookup by `_id` scanned the whole collection: 34 ms per read at 10,000
 * delivery records, 72 at 30,000, and the service slowed as its records grew. The build uses a copy of the
 * module with that one constant spelled like the index (Go refuses `-overlay` inside the module cache), through a
 * generated go.mod with a `replace`; indexes already on disk match it, so no data needs migrating.
 */
const idLookup = { file: 'internal/backends/sqlite/metadata/metadata.go', from: `"->'$._id'"`, to: '`->"_id"`' };
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
  const file = path.join(patchedModule, idLookup.file);
  const source = fs.readFileSync(file, 'utf8');
  if (source.split(idLookup.from).length !== 2)
    throw new StackError(`${file}: expected ${idLookup.from} exactly once; did the FerretDB version change?`);
  fs.writeFileSync(file, source.replace(idLookup.from, idLookup.to));
  const goMod = fs.readFileSync(path.join(sourceDir, 'go.mod'), 'utf8');
  fs.writeFileSync(modFile, `${goMod}\nreplace ${module} => ${patchedModule}\n`);
  fs.copyFileSync(path.join(sourceDir, 'go.sum'), path.join(buildDir, 'go.sum'));
}

export const ferretdbTool = (binDir = stackPaths.bin): GoTool => ({
  binary: 'ferretdb-server',
  fingerprint: `ferretdb-server ${sourceHash()} id-lookup ${idLookup.to}`,
  prepare: preparePatchedModule,
  goArgs: ['build', `-modfile=${modFile}`, '-o', path.join(binDir, 'ferretdb-server'), '.'],
  cwd: sourceDir,
  smokeArgs: ['-h'],
});

export const ferretdbServer: StackServer = {
  name: 'ferretdb',
  ports: [port],
  startTimeoutMs: 30_000,
  urls: { MongoDB: `mongodb://127.0.0.1:${port}/communication` },
  ensureBuilt: () => ensureGoTool(ferretdbTool()),
  start: () => {
    fs.mkdirSync(dataDir, { recursive: true });
    return spawnDetached('ferretdb', binaryPath(ferretdbTool()), [
      `-listen-addr=127.0.0.1:${port}`,
      `-sqlite-url=file:${dataDir}/`,
      '-log-level=warn',
    ]);
  },
  probe: async () => {
    const connection = await mongoose
      .createConnection(`mongodb://127.0.0.1:${port}/stack-probe`, { serverSelectionTimeoutMS: 1_000 })
      .asPromise();
    try {
      await connection.db?.admin().ping();
      return true;
    } finally {
      await connection.close();
    }
  },
};
