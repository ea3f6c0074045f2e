import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { runToCompletion } from '../stack/processes';

const run = promisify(execFile);

/** buildah's answer on stdout (a container's name, a mount point), trimmed; fails with what buildah said. */
export async function buildah(...args: string[]): Promise<string> {
  try {
    const { stdout } = await run('buildah', args, { maxBuffer: 16 * 1024 * 1024 });
    return stdout.trim();
  } catch (err) {
    const failed = err as { code?: string | number; stderr?: string; message: string };
    if (failed.code === 'ENOENT') throw new Error('buildah is not installed (Debian: apt-get install buildah)');
    throw new Error(`buildah ${args.join(' ')}: ${failed.stderr?.trim() || failed.message}`);
  }
}

/** A long buildah step (a build, an import), its output in `.stack/logs/<name>-build.log`. */
export const buildahStep = (name: string, args: string[]) => runToCompletion(name, 'buildah', args);

export const imageExists = (image: string) =>
  buildah('inspect', '--type', 'image', '--format', '{{.FromImageID}}', image).then(
    () => true,
    () => false,
  );
