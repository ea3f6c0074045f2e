import { spawn, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { stackPaths } from './paths';

export class StackError extends Error {}

// A profile's server names carry a folder (`production/kafka-1`), so its pid and log files sit apart from dev's.
const pidFile = (name: string) => path.join(stackPaths.run, `${name}.pid`);
export const logFile = (name: string) => path.join(stackPaths.logs, `${name}.log`);
const createFolderOf = (file: string) => fs.mkdirSync(path.dirname(file), { recursive: true });

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
  createFolderOf(logFile(name));
  createFolderOf(pidFile(name));
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

/**
 * Polls `probe` until it resolves true; fails with the probe's last error and the server's last log lines if the
 * process dies or time runs out, and at once if the probe throws a StackError (a failure that waiting cannot mend).
 * `state` names what the probe checks, for those messages.
 */
export async function waitReady(
  name: string,
  pid: number,
  probe: () => Promise<boolean>,
  timeoutMs: number,
  state = 'ready',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (!isAlive(pid)) throw new StackError(`${name} exited during start-up. Last log lines:\n${tailLog(name)}`);
    const ready = await probe().catch((err: unknown) => {
      if (err instanceof StackError) throw new StackError(`${name} could not be ${state}: ${err.message}`);
      lastError = `\nLast probe error: ${err instanceof Error ? err.message : String(err)}`;
      return false;
    });
    if (ready) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new StackError(
    `${name} was not ${state} after ${timeoutMs / 1000}s.${lastError}\nLast log lines:\n${tailLog(name)}`,
  );
}

/** Every process below `pid` (Linux's /proc; none elsewhere). */
function descendantsOf(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of fs.existsSync('/proc') ? fs.readdirSync('/proc') : []) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name in field 2 may hold spaces and parentheses; the parent pid is the second field after it.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      /* exited meanwhile */
    }
  }
  const below = (p: number): number[] => (parents.get(p) ?? []).flatMap((child) => [child, ...below(child)]);
  return below(pid);
}

const sendSignal = (pid: number, signal: NodeJS.Signals) => {
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
};

// Detached children lead their own process group: signal the group so wrappers take their children along.
const signalGroup = (pid: number, signal: NodeJS.Signals) => {
  try {
    process.kill(-pid, signal);
  } catch {
    sendSignal(pid, signal);
  }
};

const whileAlive = async (pids: number[], ms: number) => {
  const deadline = Date.now() + ms;
  while (pids.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
};

/**
 * Kills a server and everything below it. Its process group is not enough: PostgreSQL's backends leave the
 * postmaster's group, and a backend that outlives its killed postmaster holds the shared memory a new one needs.
 */
async function killTree(pid: number): Promise<void> {
  const tree = [pid, ...descendantsOf(pid)];
  signalGroup(pid, 'SIGKILL');
  for (const p of tree) sendSignal(p, 'SIGKILL');
  await whileAlive(tree, 10_000);
}

/** Stops a server and its children: `signal` first (SIGKILL to simulate a crash), SIGKILL after `graceMs`. */
export async function stopProcess(
  name: string,
  { signal = 'SIGTERM', graceMs = 15_000 }: { signal?: NodeJS.Signals; graceMs?: number } = {},
): Promise<boolean> {
  const pid = readPid(name);
  fs.rmSync(pidFile(name), { force: true });
  if (pid === undefined) return false;
  if (signal !== 'SIGKILL') {
    signalGroup(pid, signal);
    await whileAlive([pid], graceMs);
  }
  if (isAlive(pid)) await killTree(pid);
  return true;
}

export function runToCompletion(
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions = {},
): Promise<void> {
  const log = logFile(`${name}-build`);
  createFolderOf(log);
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
