import net from 'node:net';
import path from 'node:path';
import { startProcess, type ChildOptions, type RunningChild } from '../load/child-process';
import { serviceCommand } from '../load/service-process';
import { sandboxClient, type SandboxClient } from '../stack/sandbox-server/client';
import { benchDir, type BenchContext } from './common';

export type BenchChild = RunningChild & { logFile: string };

/**
 * A server or service process of the bench's own. Output goes to `.bench/logs/`; `ready` is a pattern its output
 * must show, or a probe. Stopped by the bench's cleanup (SIGTERM, then SIGKILL), or killed when the script exits.
 */
export async function startChild(
  ctx: BenchContext,
  options: Omit<ChildOptions, 'logFile' | 'onSpawn'>,
): Promise<BenchChild> {
  const logFile = path.join(benchDir, 'logs', `${ctx.name}-${options.name}.log`);
  const child = await startProcess({
    ...options,
    logFile,
    onSpawn: (stop) => ctx.defer(`stop ${options.name}`, stop),
  });
  return { ...child, logFile };
}

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

export interface Sandbox {
  url: string;
  /** The sandbox process, when the bench started its own. */
  process?: BenchChild;
  /** What the sandbox received. */
  client: SandboxClient;
  /** Points the service's provider SDKs at this sandbox. */
  env: NodeJS.ProcessEnv;
}

/**
 * A provider sandbox of the bench's own (the same code as the stack's, HTTP only: no FCM). The stack's sandbox
 * has one global Postmark webhook, pointed at whichever test API set it last: that API then signals receipts,
 * encrypted with its own key, into the bench's workflows, whose workers cannot decode them and fail every
 * workflow task from then on. BENCH_SANDBOX_URL uses a running sandbox instead, unless `ownWebhook` is needed.
 */
export async function benchSandbox(ctx: BenchContext, options: { ownWebhook?: boolean } = {}): Promise<Sandbox> {
  const given = process.env.BENCH_SANDBOX_URL;
  const sandboxEnv = (url: string, child?: BenchChild) => ({
    url,
    process: child,
    client: sandboxClient(url),
    env: { POSTMARK_API_URL: url, TWILIO_API_URL: url },
  });
  if (given && !options.ownWebhook) return sandboxEnv(given.replace(/\/$/, ''));
  const port = await freePort();
  const child = await startChild(ctx, {
    name: 'sandbox',
    ...serviceCommand('sandbox'),
    env: { ...process.env, SANDBOX_PORT: String(port), SANDBOX_TLS_CERT_FILE: '', SANDBOX_TLS_KEY_FILE: '' },
  });
  return sandboxEnv((child.captured ?? `http://127.0.0.1:${port}`).replace(/\/$/, ''), child);
}
