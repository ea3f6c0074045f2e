import { ferretdbServer } from './ferretdb';
import { kafkaServer } from './kafka';
import { readPid, assertPortsFree, waitReady, stopProcess } from './processes';
import { sandboxServer } from './sandbox';
import type { StackServer } from './server';
import { temporalServer } from './temporal';

export const stackServers: StackServer[] = [temporalServer, kafkaServer, ferretdbServer, sandboxServer];

async function bringUp(server: StackServer): Promise<'reused' | 'started'> {
  const running = readPid(server.name);
  if (running !== undefined) {
    // Ours and alive: give it the usual start-up time (it may still be starting) instead of starting a twin.
    await waitReady(server.name, running, server.probe, server.startTimeoutMs);
    return 'reused';
  }
  await assertPortsFree(server.name, server.ports);
  const pid = server.start();
  await waitReady(server.name, pid, server.probe, server.startTimeoutMs);
  return 'started';
}

/** Builds what is missing (one at a time: Go builds already use every core), then starts all servers at once. */
export async function stackUp(servers = stackServers): Promise<Record<string, 'reused' | 'started'>> {
  for (const server of servers) {
    if (readPid(server.name) === undefined) await server.ensureBuilt();
  }
  const outcomes = await Promise.all(servers.map(async (s) => [s.name, await bringUp(s)] as const));
  return Object.fromEntries(outcomes);
}

export async function stackDown(servers = stackServers): Promise<string[]> {
  const stopped: string[] = [];
  for (const server of [...servers].reverse()) {
    if (await stopProcess(server.name)) stopped.push(server.name);
  }
  return stopped;
}

export const stackUrls = (servers = stackServers) =>
  Object.assign({}, ...servers.map((s) => s.urls)) as Record<string, string>;
