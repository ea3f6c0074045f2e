import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { stackPaths } from './paths';
import { runToCompletion, StackError } from './processes';

const exec = promisify(execFile);

/** A server built with the Go toolchain (modules from the Go module proxy) into the stack's bin folder. */
export interface GoTool {
  binary: string;
  /** Changes whenever what the build would produce changes: module@version, or a hash of local sources. */
  fingerprint: string;
  /** Arguments to `go`; run with GOBIN set to the stack's bin folder. */
  goArgs: string[];
  cwd?: string;
  /** Arguments that make the binary print something and exit 0: proves the cached file runs. */
  smokeArgs: string[];
}

export const binaryPath = (tool: GoTool) => path.join(stackPaths.bin, tool.binary);
// `go install` of a module does not stamp the release version into the binary (the CLI reports 0.0.0-DEV),
// so a marker written after a good build records what the binary was built from.
const markerPath = (tool: GoTool) => `${binaryPath(tool)}.built-from`;

async function cachedBuildIsGood(tool: GoTool): Promise<boolean> {
  try {
    if (fs.readFileSync(markerPath(tool), 'utf8') !== tool.fingerprint) return false;
    await exec(binaryPath(tool), tool.smokeArgs, { timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

export async function ensureGoTool(tool: GoTool): Promise<void> {
  if (await cachedBuildIsGood(tool)) return;
  fs.rmSync(markerPath(tool), { force: true });
  fs.rmSync(binaryPath(tool), { force: true });
  fs.mkdirSync(stackPaths.bin, { recursive: true });
  console.log(`[stack] building ${tool.binary} (${tool.fingerprint}) with go; a cold build takes minutes`);
  await runToCompletion(tool.binary, 'go', tool.goArgs, {
    cwd: tool.cwd,
    env: { ...process.env, GOBIN: stackPaths.bin, GOFLAGS: '-buildvcs=false' },
  });
  fs.writeFileSync(markerPath(tool), tool.fingerprint);
  if (!(await cachedBuildIsGood(tool))) {
    throw new StackError(`${tool.binary}: built, but \`${tool.binary} ${tool.smokeArgs.join(' ')}\` does not run`);
  }
}
