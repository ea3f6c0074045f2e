import { spawn, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { stackPaths } from './paths';

export class StackError extends Error {}

const pidFile = (name: string) => path.join(stackPaths.run, `${name}.pid`);
export const logFile = (name: string) => path.join(stackPaths.logs, `${name}.log`);

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function readPid(name: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(pidFile(name), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

export async function assertPortsFree(name: string, ports: number[]): Promise<void> {
  for (const port of ports) {
    if (!(await portIsFree(port))) {
      throw new StackError(
        `${name}: port ${port} on 127.0.0.1 is taken by a process this stack did not start; stop it or change the port`,
      );
    }
  }
}

/** Starts a server detached from this process so it outlives `stack up`; its output goes to a log file. */
export function spawnDetached(name: string, command: string, args: string[], options: SpawnOptions = {}): number {
  fs.mkdirSync(stackPaths.logs, { recursive: true });
  fs.mkdirSync(stackPaths.run, { recursive: true });
  const out = fs.openSync(logFile(name), 'a');
  fs.writeSync(out, `\n--- ${new Date().toISOString()} ${command} ${args.join(' ')}\n`);
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  if (child.pid === undefined) throw new StackError(`${name}: could not start ${command}`);
  child.unref();
  fs.writeFileSync(pidFile(name), String(child.pid));
  return child.pid;
}

export function tailLog(name: string, lines = 15): string {
  try {
    return fs.readFileSync(logFile(name), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Polls `probe` until it resolves true; fails with the server's last log lines if the process dies or time runs out. */
export async function waitReady(
  name: string,
  pid: number,
  probe: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) throw new StackError(`${name} exited during start-up. Last log lines:\n${tailLog(name)}`);
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new StackError(`${name} was not ready after ${timeoutMs / 1000}s. Last log lines:\n${tailLog(name)}`);
}

export async function stopProcess(name: string, graceMs = 15_000): Promise<boolean> {
  const pid = readPid(name);
  fs.rmSync(pidFile(name), { force: true });
  if (pid === undefined) return false;
  // Detached children lead their own process group: signal the group so wrappers take their children along.
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* already gone */
      }
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (isAlive(pid)) signal('SIGKILL');
  return true;
}

export function runToCompletion(
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions = {},
): Promise<void> {
  fs.mkdirSync(stackPaths.logs, { recursive: true });
  const log = logFile(`${name}-build`);
  const out = fs.openSync(log, 'w');
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', out, out] });
    child.once('error', (err) => {
      fs.closeSync(out);
      reject(new StackError(`${name}: cannot run ${command} (${err.message}). Is it installed?`));
    });
    child.once('exit', (code) => {
      fs.closeSync(out);
      if (code === 0) resolve();
      else
        reject(
          new StackError(
            `${name}: \`${command} ${args.join(' ')}\` failed (exit ${code}). Last lines:\n${tailLog(`${name}-build`, 25)}`,
          ),
        );
    });
  });
}
