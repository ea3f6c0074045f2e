import fs from 'node:fs';
import path from 'node:path';
import { stackRoot } from '../stack/paths';
import { runToCompletion } from '../stack/processes';
import { buildah, imageExists } from './buildah';

const suite = 'bookworm';
const nodeVersion = process.versions.node;
/** The stand-in for the official `node:24-bookworm-slim`, named for what it holds. */
export const nodeBaseImage = `localhost/communication-service-base:node-${nodeVersion}-${suite}`;
/** Debian's default PATH, set in the base's config: where the image's `ENTRYPOINT ["node"]` finds Node. */
export const imageSearchPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const rootfsTar = path.join(stackRoot, 'image', `debian-${suite}-minbase.tar`);

/** The machine's npm (`npm root -g` would name the folder beside whichever node runs it, not npm's own). */
function npmPackage(): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const cli = path.join(dir, 'npm');
    if (fs.existsSync(cli)) return path.resolve(path.dirname(fs.realpathSync(cli)), '..');
  }
  throw new Error('npm is not on PATH');
}

/**
 * The official Node image cannot be pulled here (no container registry), so the base is made like it: Debian's
 * minimal root file system from the Debian archive (mmdebstrap), with the Node binary that runs this script in
 * /usr/local/bin and npm in /usr/local/lib/node_modules, where the official image has them. Cached as a local
 * image, and its root file system as a tar in .stack/image.
 */
export async function ensureNodeBase(): Promise<string> {
  if (Number(nodeVersion.split('.')[0]) < 24) throw new Error(`the base needs Node 24; this is ${nodeVersion}`);
  if (await imageExists(nodeBaseImage)) return nodeBaseImage;
  if (!fs.existsSync(rootfsTar)) {
    fs.mkdirSync(path.dirname(rootfsTar), { recursive: true });
    const partial = `${rootfsTar}.partial`;
    await runToCompletion('image/debian-rootfs', 'mmdebstrap', [
      '--variant=minbase',
      // The name ends in .partial until it is complete, so the format is not left to the extension.
      '--format=tar',
      '--include=ca-certificates',
      suite,
      partial,
    ]);
    fs.renameSync(partial, rootfsTar);
  }
  const npmRoot = npmPackage();
  const container = await buildah('from', 'scratch');
  try {
    await buildah('add', container, rootfsTar, '/');
    await buildah('copy', container, process.execPath, '/usr/local/bin/node');
    await buildah('copy', container, npmRoot, '/usr/local/lib/node_modules/npm');
    for (const tool of ['npm', 'npx'])
      await buildah(
        'run',
        '--isolation=chroot',
        container,
        '--',
        'ln',
        '-s',
        `../lib/node_modules/npm/bin/${tool}-cli.js`,
        `/usr/local/bin/${tool}`,
      );
    await buildah(
      'config',
      '--env',
      `PATH=${imageSearchPath}`,
      '--env',
      `NODE_VERSION=${nodeVersion}`,
      '--cmd',
      'node',
      container,
    );
    await buildah('commit', '--rm', container, nodeBaseImage);
  } catch (err) {
    await buildah('rm', container).catch(() => undefined);
    throw err;
  }
  return nodeBaseImage;
}
