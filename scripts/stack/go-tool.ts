import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { stackPaths } from './paths';
import { runToCompletion, StackError } from './processes';

const exec = promisify(execFile);

/** A server built with the Go toolchain (modules from the Go module proxy) into the stack's bin folder. */
export interface GoTool {
  /** Names the build log; binaries of different modules can share a file name (Temporal's and the UI's `server`). */
  name: string;
  binary: string;
  /** Changes whenever what the build would produce changes: module@version, or a hash of local sources. */
  fingerprint: string;
  /** Arguments to `go`; run with GOBIN set to the stack's bin folder. */
  goArgs: string[];
  cwd?: string;
  /** Runs before the build, e.g. to write files the build reads. */
  prepare?: () => Promise<void>;
  /** Arguments that make the binary print something and exit 0: proves the cached file runs. */
  smokeArgs: string[];
}

export const binaryPath = (tool: GoTool, binDir = stackPaths.bin) => path.join(binDir, tool.binary);
// `go install` of a module does not stamp the release version into the binary (the CLI reports 0.0.0-DEV),
// so a marker written after a good build records what the binary was built from.
const markerPath = (tool: GoTool, binDir: string) => `${binaryPath(tool, binDir)}.built-from`;

async function cachedBuildIsGood(tool: GoTool, binDir: string): Promise<boolean> {
  try {
    if (fs.readFileSync(markerPath(tool, binDir), 'utf8') !== tool.fingerprint) return false;
    await exec(binaryPath(tool, binDir), tool.smokeArgs, { timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

/** Reuses a cached binary only if it was built from the same fingerprint and still runs; otherwise rebuilds it. */
export async function ensureGoTool(tool: GoTool, binDir = stackPaths.bin): Promise<void> {
  if (await cachedBuildIsGood(tool, binDir)) return;
  fs.rmSync(markerPath(tool, binDir), { force: true });
  fs.rmSync(binaryPath(tool, binDir), { force: true });
  fs.mkdirSync(binDir, { recursive: true });
  console.log(`[stack] building ${tool.name} (${tool.fingerprint}) with go; a cold build takes minutes`);
  await tool.prepare?.();
  await runToCompletion(tool.name, 'go', tool.goArgs, {
    cwd: tool.cwd,
    env: { ...process.env, GOBIN: binDir, GOFLAGS: '-buildvcs=false' },
  });
  fs.writeFileSync(markerPath(tool, binDir), tool.fingerprint);
  if (!(await cachedBuildIsGood(tool, binDir))) {
    throw new StackError(`${tool.name}: built, but \`${tool.binary} ${tool.smokeArgs.join(' ')}\` does not run`);
  }
}
