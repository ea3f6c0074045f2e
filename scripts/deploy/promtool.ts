import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { binaryPath, ensureGoTool, type GoTool } from '../stack/go-tool';

const exec = promisify(execFile);

/**
 * Prometheus's own rule checker and unit-test runner. The v3 releases are the module's v0.3xx tags
 * (v0.316.0 is Prometheus 3.16); 5.5 min here with an empty Go cache, a 120 MB binary.
 */
const promtoolModule = 'github.com/prometheus/prometheus/cmd/promtool@v0.316.0';
const promtoolTool: GoTool = {
  name: 'promtool',
  binary: 'promtool',
  fingerprint: promtoolModule,
  goArgs: ['install', promtoolModule],
  smokeArgs: ['--version'],
};

export const ensurePromtool = () => ensureGoTool(promtoolTool);

/** Runs promtool; rejects with everything it printed when it exits non-zero (its report names what failed). */
export async function promtool(args: string[], cwd?: string): Promise<string> {
  try {
    const { stdout, stderr } = await exec(binaryPath(promtoolTool), args, { cwd, maxBuffer: 4 * 1024 * 1024 });
    return stdout + stderr;
  } catch (err) {
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
    throw new Error(`promtool ${args.join(' ')} failed:\n${stdout}${stderr}`);
  }
}
