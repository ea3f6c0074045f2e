import path from 'node:path';
import { imageSearchPath } from '../image/node-base';
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

/** A container image's root file system, mounted here (`buildah mount`), and the user its processes run as. */
export interface ImageRoot {
  root: string;
  user: string;
}

/** Where a process of the service comes from: its sources, the build in `dist/`, or a container image. */
export type ServiceOrigin = 'source' | 'dist' | ImageRoot;

/**
 * `node <script>` as the image's runtime would start it, without one: chrooted into the image's files as the
 * image's user, in its working directory, with its PATH, so nothing of this checkout is used but the environment.
 */
export const inImage = (image: ImageRoot, script: string) => ({
  command: '/usr/sbin/chroot',
  args: [
    `--userspec=${image.user}`,
    image.root,
    '/bin/sh',
    '-c',
    `cd /app && PATH=${imageSearchPath} exec node ${script}`,
  ],
});

/**
 * A part of the service (or the provider sandbox) in a process of its own, with the output that says it is
 * ready: spread into `startProcess` options. From source (`node --import tsx <entry>`), as production runs it,
 * `node dist/…/main.js` after `npm run build`, or the same from a container image's file system.
 */
export const serviceCommand = (kind: ServiceKind, from: ServiceOrigin = 'source') => {
  const built = entryPoints[kind].replace(/\.ts$/, '.js');
  const command =
    kind === 'sandbox' || from === 'source'
      ? { command: process.execPath, args: ['--import', 'tsx', path.join(repoRoot, entryPoints[kind])] }
      : from === 'dist'
        ? { command: process.execPath, args: [path.join(repoRoot, 'dist', built)] }
        : inImage(from, path.join('dist', built));
  return { ...command, ready: readyLines[kind] };
};
