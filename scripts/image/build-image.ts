import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildahStep } from './buildah';
import { ensureNodeBase } from './node-base';

const root = path.join(__dirname, '..', '..');

/**
 * The CA bundle this machine's npm trusts: its `cafile`, or Node's NODE_EXTRA_CA_CERTS (npm's global npmrc is not
 * read when it runs on a Node of another prefix). Here the registry is reached through a TLS-intercepting proxy,
 * so `npm ci` inside the build needs it too; it is handed in as a build secret, never stored in a layer.
 */
function npmCaSecret(): string[] {
  const cafile = execFileSync('npm', ['config', 'get', 'cafile'], { encoding: 'utf8' }).trim();
  const bundle = [cafile, process.env.NODE_EXTRA_CA_CERTS].find(
    (file) => file && file !== 'null' && fs.existsSync(file),
  );
  return bundle ? ['--secret', `id=npm_ca,src=${bundle}`] : [];
}

export interface ImageBuild {
  /** `name:tag` of the result. */
  tag: string;
  /** The Dockerfile's BASE; unset: the local stand-in for the official Node 24 image. */
  base?: string;
}

/** The repository's Dockerfile, built with buildah (no Docker engine needed); cached layers make a rebuild quick. */
export async function buildImage({ tag, base }: ImageBuild): Promise<string> {
  const baseImage = base ?? (await ensureNodeBase());
  const revision = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  await buildahStep('image/service', [
    'bud',
    '--isolation=chroot',
    '--network=host',
    '--layers',
    // A failed step leaves no working container behind.
    '--force-rm',
    ...npmCaSecret(),
    ...['--build-arg', `BASE=${baseImage}`, '--build-arg', `REVISION=${revision}`],
    ...['--tag', tag, '--file', path.join(root, 'Dockerfile'), root],
  ]);
  return tag;
}
