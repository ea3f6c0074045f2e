import { devProfile, profiles, shortName } from './profiles';
import { readPid, assertPortsFree, waitReady, stopProcess, StackError } from './processes';
import type { StackServer } from './server';

export { devProfile, productionProfile, profileNamed } from './profiles';

/** Without arguments, `stackUp` and `stackDown` start and stop the dev profile. */
const devServers = devProfile.servers;

/**
 * The profiles share ports, so a server of one starts only while every server of the others is stopped. (A server
 * of no profile, such as a test's own, is left to the port check.)
 */
function assertNoOtherProfileRunning(servers: StackServer[]): void {
  const own = profiles.filter((profile) => servers.some((s) => profile.servers.includes(s)));
  if (own.length === 0) return;
  for (const other of profiles.filter((profile) => !own.includes(profile))) {
    const running = other.servers.filter((s) => readPid(s.name) !== undefined).map((s) => shortName(s.name));
    if (running.length > 0)
      throw new StackError(
        `the ${other.name} profile is running (${running.join(', ')}); stop it with \`${other.downCommand}\``,
      );
  }
}

async function startOnFreePorts(server: StackServer): Promise<number> {
  await assertPortsFree(server.name, server.ports);
  return server.start();
}

async function bringUp(server: StackServer): Promise<'reused' | 'started'> {
  const running = readPid(server.name);
  // A server already running gets the usual start-up time too (it may still be starting) instead of a twin.
  const pid = running ?? (await startOnFreePorts(server));
  await waitReady(server.name, pid, server.probe, server.startTimeoutMs);
  if (server.setUp) await waitReady(server.name, pid, server.setUp, server.startTimeoutMs, 'set up');
  return running === undefined ? 'started' : 'reused';
}

function assertRunning(dependent: StackServer, needed: StackServer): Promise<void> {
  if (readPid(needed.name) !== undefined) return Promise.resolve();
  return Promise.reject(new StackError(`${dependent.name} needs ${needed.name}, which is not running`));
}

/** Starts every server at once, except that each waits for the servers it needs: those in this call, or running. */
function bringUpAfterNeeds(servers: StackServer[]): Promise<[string, 'reused' | 'started'][]> {
  const outcomes = new Map<StackServer, Promise<'reused' | 'started'>>();
  const outcomeOf = (server: StackServer): Promise<'reused' | 'started'> => {
    let outcome = outcomes.get(server);
    if (outcome === undefined) {
      const needs = (server.needs ?? []).map((needed) =>
        servers.includes(needed) ? outcomeOf(needed) : assertRunning(server, needed),
      );
      outcome = Promise.all(needs).then(() => bringUp(server));
      outcomes.set(server, outcome);
    }
    return outcome;
  };
  return Promise.all(servers.map(async (server) => [server.name, await outcomeOf(server)]));
}

/** Builds what is missing (one at a time: Go builds already use every core), then starts the servers. */
export async function stackUp(servers = devServers): Promise<Record<string, 'reused' | 'started'>> {
  assertNoOtherProfileRunning(servers);
  for (const server of servers) {
    if (readPid(server.name) === undefined) await server.ensureBuilt();
  }
  return Object.fromEntries(await bringUpAfterNeeds(servers));
}

/**
 * Stops every server at once, except that each waits until the servers that need it have stopped. At once matters
 * for Kafka: a broker stopped last, after the other controller voters, waits forever for a quorum to confirm its
 * controlled shutdown.
 */
export async function stackDown(servers = devServers): Promise<string[]> {
  const stops = new Map<StackServer, Promise<boolean>>();
  const stopOf = (server: StackServer): Promise<boolean> => {
    let stop = stops.get(server);
    if (stop === undefined) {
      const dependents = servers.filter((s) => s.needs?.includes(server));
      stop = Promise.all(dependents.map(stopOf)).then(() => stopProcess(server.name, { signal: server.stopSignal }));
      stops.set(server, stop);
    }
    return stop;
  };
  const stopped = await Promise.all(servers.map(async (server) => [server.name, await stopOf(server)] as const));
  return stopped.filter(([, wasRunning]) => wasRunning).map(([name]) => name);
}

/** Starts one server of a running profile again, e.g. after a test killed it. */
export const startServer = async (server: StackServer) => (await stackUp([server]))[server.name];

/** Kills a server and its children at once (SIGKILL), as a crash would; `startServer` brings it back. */
export const killServer = (server: StackServer) => stopProcess(server.name, { signal: 'SIGKILL' });

export const stackUrls = (servers = devServers) =>
  Object.assign({}, ...servers.map((s) => s.urls)) as Record<string, string>;
