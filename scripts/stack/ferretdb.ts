import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import { binaryPath, ensureGoTool, type GoTool } from './go-tool';
import { stackPaths } from './paths';
import { spawnDetached } from './processes';
import type { StackServer } from './server';

/** Our wrapper around FerretDB v1.24.2's embeddable package (see ferretdb-server/main.go for why). */
const sourceDir = path.join(__dirname, 'ferretdb-server');
const sourceHash = () => {
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum', 'main.go']) hash.update(fs.readFileSync(path.join(sourceDir, file)));
  return hash.digest('hex').slice(0, 16);
};

const port = 27017;
const dataDir = path.join(stackPaths.data, 'ferretdb');

export const ferretdbTool = (binDir = stackPaths.bin): GoTool => ({
  binary: 'ferretdb-server',
  fingerprint: `ferretdb-server ${sourceHash()}`,
  goArgs: ['build', '-o', path.join(binDir, 'ferretdb-server'), '.'],
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
