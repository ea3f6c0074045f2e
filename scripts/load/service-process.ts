import path from 'node:path';
import { repoRoot } from './child-process';

export type ServiceKind = 'api' | 'worker' | 'bridge' | 'sandbox';

const entryPoints: Record<ServiceKind, string> = {
  api: 'src/api/main.ts',
  worker: 'src/worker/main.ts',
  bridge: 'src/kafka-bridge/main.ts',
  sandbox: 'scripts/stack/sandbox-server/main.ts',
};

/**
 * The line each process writes once it serves, with its URL as the first group where it has one. The service's
 * lines are pino's at info: a process started with a higher LOG_LEVEL never says it is ready.
 */
const readyLines: Record<ServiceKind, RegExp> = {
  api: /"url":"(http:\/\/[^"]+)"[^\n]*API listening/,
  worker: /"health":"(http:\/\/[^"]+)"[^\n]*workers running/,
  bridge: /"url":"(http:\/\/[^"]+)"[^\n]*bridge running/,
  sandbox: /provider sandbox listening on (http:\/\/\S+?)\/?\s/,
};

/** Where `npm run build` puts an entry point: `src/api/main.ts` → `dist/src/api/main.js`. */
const builtEntryPoint = (entry: string) => path.join(repoRoot, 'dist', entry.replace(/\.ts$/, '.js'));

/**
 * A part of the service (or the provider sandbox) in a process of its own, with the output that says it is
 * ready: spread into `startProcess` options. From source (`node --import tsx <entry>`), or as production runs it,
 * `node dist/…/main.js` after `npm run build`.
 */
export const serviceCommand = (kind: ServiceKind, from: 'source' | 'dist' = 'source') => ({
  command: process.execPath,
  args:
    from === 'dist' && kind !== 'sandbox'
      ? [builtEntryPoint(entryPoints[kind])]
      : ['--import', 'tsx', path.join(repoRoot, entryPoints[kind])],
  ready: readyLines[kind],
});
