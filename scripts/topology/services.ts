import path from 'node:path';
import { roleSettingNames } from '../../src/config';
import { startProcess, type RunningChild } from '../load/child-process';
import { serviceCommand, type ServiceOrigin } from '../load/service-process';
import { stackPaths } from '../stack/paths';

export type Role = 'api' | 'worker' | 'bridge';

/** One process of the production topology; `env` is what sets it apart from its twin. */
export interface Instance {
  name: string;
  role: Role;
  /** The fixed port of `npm run dev -- --profile production`; tests pass 0 for a free one. */
  port: number;
  portVariable: 'PORT' | 'WORKER_HTTP_PORT' | 'BRIDGE_PORT';
  env?: NodeJS.ProcessEnv;
}

/** SPEC §8's roles as separate processes: two of each stateless front, one worker per queue group. */
export const productionInstances: Instance[] = [
  { name: 'api-a', role: 'api', port: 3000, portVariable: 'PORT' },
  { name: 'api-b', role: 'api', port: 3010, portVariable: 'PORT' },
  {
    name: 'worker-workflows',
    role: 'worker',
    port: 3002,
    portVariable: 'WORKER_HTTP_PORT',
    env: { WORKER_ROLES: 'workflows' },
  },
  {
    name: 'worker-providers',
    role: 'worker',
    port: 3012,
    portVariable: 'WORKER_HTTP_PORT',
    env: { WORKER_ROLES: 'sms,email,push' },
  },
  { name: 'bridge-1', role: 'bridge', port: 3001, portVariable: 'BRIDGE_PORT' },
  { name: 'bridge-2', role: 'bridge', port: 3011, portVariable: 'BRIDGE_PORT' },
];

/** What any process needs from its environment besides our settings (the OS, Node, Google's credential file). */
const passThrough = [
  'PATH',
  'HOME',
  'TZ',
  'LANG',
  'NODE_OPTIONS',
  'NODE_EXTRA_CA_CERTS',
  'GOOGLE_APPLICATION_CREDENTIALS',
];

/**
 * Only the settings a role reads: each process of the topology gets what a deployment would give it, so a
 * role that needed another role's secret would fail to start here.
 */
export function roleEnv(role: Role, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const names = new Set<string>([...roleSettingNames[role], ...passThrough]);
  return Object.fromEntries(Object.entries(env).filter(([name, value]) => names.has(name) && value !== undefined));
}

export interface RunningInstance extends RunningChild {
  instance: Instance;
  /** The API's address, or the health server's of a worker or bridge. */
  url: string;
}

export interface StartOptions {
  /** `dist` runs what `npm run build` produced, as production does; an image root, what the image holds. */
  from: ServiceOrigin;
  /** Ports of their own for tests (0: any free port); the fixed ones otherwise. */
  anyPort?: boolean;
}

export async function startInstance(
  instance: Instance,
  env: NodeJS.ProcessEnv,
  options: StartOptions,
): Promise<RunningInstance> {
  const child = await startProcess({
    name: instance.name,
    ...serviceCommand(instance.role, options.from),
    env: {
      ...roleEnv(instance.role, env),
      ...instance.env,
      [instance.portVariable]: String(options.anyPort ? 0 : instance.port),
      // Readiness is read from the info line each process writes once it serves.
      LOG_LEVEL: 'info',
    },
    logFile: path.join(stackPaths.logs, 'services', `${instance.name}.log`),
  });
  return { ...child, instance, url: child.captured ?? '' };
}

/**
 * Starts the topology: the APIs first (receipts go to the first one, whose address the workers need), then
 * the workers, then the bridges. Resolves with every process running; any failure stops the ones started.
 */
export async function startTopology(env: NodeJS.ProcessEnv, options: StartOptions) {
  const running: RunningInstance[] = [];
  const start = async (instances: Instance[], extra: NodeJS.ProcessEnv = {}) =>
    Promise.all(
      instances.map(async (i) => {
        const started = await startInstance(i, { ...env, ...extra }, options);
        running.push(started);
        return started;
      }),
    );
  const of = (role: Role) => productionInstances.filter((i) => i.role === role);
  try {
    const apis = await start(of('api'));
    const publicBaseUrl = env.PUBLIC_BASE_URL && !options.anyPort ? env.PUBLIC_BASE_URL : apis[0]!.url;
    const workers = await start(of('worker'), { PUBLIC_BASE_URL: publicBaseUrl });
    const bridges = await start(of('bridge'));
    return {
      apis,
      workers,
      bridges,
      publicBaseUrl,
      /** SIGTERM to every process, bridges first so nothing new starts while the workers drain. */
      stop: async () => {
        for (const group of [bridges, apis, workers]) await Promise.all(group.map((p) => p.stop()));
      },
    };
  } catch (err) {
    await Promise.allSettled(running.map((p) => p.stop()));
    throw err;
  }
}

export type Topology = Awaited<ReturnType<typeof startTopology>>;
