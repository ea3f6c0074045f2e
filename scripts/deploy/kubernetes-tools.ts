import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { binaryPath, ensureGoTool, type GoTool } from '../stack/go-tool';
import { stackRoot } from '../stack/paths';
import { runToCompletion } from '../stack/processes';

const exec = promisify(execFile);

/**
 * kustomize renders the overlays as `kubectl apply -k` would (kubectl embeds the same library). v5.7.1 is the
 * newest release whose module builds with this machine's Go from the module proxy.
 */
const kustomizeModule = 'sigs.k8s.io/kustomize/kustomize/v5@v5.7.1';
const kustomizeTool: GoTool = {
  name: 'kustomize',
  binary: 'kustomize',
  fingerprint: kustomizeModule,
  goArgs: ['install', kustomizeModule],
  smokeArgs: ['version'],
};

/**
 * kubernetes-validate from PyPI carries the Kubernetes JSON schemas (strict variants reject unknown fields) for
 * every minor version from 1.25, so it validates offline; kubeconform would download them at run time.
 */
const validatorVersion = '1.37.0';
const validatorEnv = path.join(stackRoot, 'python', `kubernetes-validate-${validatorVersion}`);
const validatorBin = path.join(validatorEnv, 'bin', 'kubernetes-validate');

async function ensureValidator(): Promise<void> {
  try {
    const { stdout } = await exec(validatorBin, ['--version']);
    if (stdout.trim() === validatorVersion) return;
  } catch {
    // Absent or broken: built again below.
  }
  fs.rmSync(validatorEnv, { recursive: true, force: true });
  console.log(`[deploy] installing kubernetes-validate ${validatorVersion} from PyPI into ${validatorEnv}`);
  await runToCompletion('kubernetes-validate', 'python3', ['-m', 'venv', validatorEnv]);
  await runToCompletion('kubernetes-validate', path.join(validatorEnv, 'bin', 'pip'), [
    'install',
    '--quiet',
    '--disable-pip-version-check',
    `kubernetes-validate==${validatorVersion}`,
  ]);
}

/** Builds or reuses both tools in the stack folder: 26 s and 6 s here with empty Go and pip caches, then none. */
export async function ensureKubernetesTools(): Promise<void> {
  await Promise.all([ensureGoTool(kustomizeTool), ensureValidator()]);
}

/** The objects an overlay renders to, as YAML: what `kubectl apply -k <dir>` would send. */
export async function kustomizeBuild(dir: string): Promise<string> {
  const { stdout } = await exec(binaryPath(kustomizeTool), ['build', dir], { maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/**
 * Validates rendered objects against the strict schemas of a Kubernetes version; rejects with the validator's
 * report (every object that fails and why).
 */
export async function validateManifests(file: string, kubernetesVersion: string): Promise<void> {
  await exec(validatorBin, ['--strict', '--quiet', '-k', kubernetesVersion, file]).catch((err: unknown) => {
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
    throw new Error(`${file} does not validate against Kubernetes ${kubernetesVersion}:\n${stdout}${stderr}`);
  });
}
