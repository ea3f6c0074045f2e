import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { startApi } from '../src/api/main';
import { startBridge } from '../src/kafka-bridge/main';
import { profileSchema } from '../src/shared/profile-schema';
import { openDatabase } from '../src/db/mongo';
import { installSdkRuntime } from '../src/temporal/runtime';
import { startWorkers } from '../src/worker/main';
import { localEnv, productionEnv, rememberedDemoKey } from './local-env';
import { pointPostmarkWebhookAt } from './sandbox-webhook';
import { productionProfile, stackUp, stackUrls } from './stack';
import { devApiPort } from './stack/temporal';
import { startTopology } from './topology/services';

const demoClientId = 'demo';

/** A client that can send email at any time, so the first curl works. */
const demoProfile = {
  ...profileSchema.parse({
    name: 'Demo client',
    timezone: 'Asia/Jerusalem',
    channels: {
      email: { enabled: true, from: 'noreply@demo.example', messageStream: 'outbound' },
      sms: { enabled: true, from: '+15550001111' },
      push: { enabled: true },
    },
  }),
  clientId: demoClientId,
};

async function saveDemoClient(env: NodeJS.ProcessEnv): Promise<string> {
  const db = await openDatabase(env.MONGODB_URI!);
  try {
    await db.profiles.saveProfile(demoProfile);
    return await rememberedDemoKey(
      async () => (await db.apiKeys.issueApiKey(demoClientId)).apiKey,
      async (key) => (await db.apiKeys.clientForApiKey(key)) === demoClientId,
    );
  } finally {
    await db.close();
  }
}

interface Running {
  urls: Record<string, string>;
  receiptsUrl: string;
  stop(): Promise<void>;
  /** Resolves when the service stopped by itself. */
  done: Promise<unknown>;
}

/** The dev profile: API, workers and bridge in this one process, from source. */
async function startInProcess(env: NodeJS.ProcessEnv): Promise<Running> {
  await installSdkRuntime();
  const workers = await startWorkers(env);
  const api = await startApi(env);
  const bridge = await startBridge(env);
  return {
    urls: {
      API: api.url,
      'Kafka bridge health': `${bridge.url}/health/ready`,
      'Worker health': `${workers.url}/health/ready`,
    },
    receiptsUrl: env.PUBLIC_BASE_URL!,
    done: workers.done,
    stop: async () => {
      await bridge.stop();
      await api.stop();
      await workers.stop();
    },
  };
}

/** The production profile: the build, each role a process of its own, two of each front (see README). */
async function startSeparately(env: NodeJS.ProcessEnv): Promise<Running> {
  console.log('[dev] npm run build');
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  const topology = await startTopology(env, { from: 'dist' });
  const urls: Record<string, string> = {};
  for (const p of [...topology.apis, ...topology.workers, ...topology.bridges]) {
    urls[p.instance.name] = p.instance.role === 'api' ? p.url : `${p.url}/health/ready`;
  }
  return {
    urls,
    receiptsUrl: topology.publicBaseUrl,
    done: new Promise(() => undefined),
    stop: topology.stop,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { profile: { type: 'string', default: 'dev' } } });
  const production = values.profile === 'production';
  if (!production && values.profile !== 'dev') throw new Error(`no profile ${values.profile}; use dev or production`);
  const servers = production ? productionProfile.servers : undefined;

  console.log(`[dev] starting the ${values.profile} stack (the first run builds it: several minutes)`);
  const started = Date.now();
  await stackUp(servers);
  console.log(`[dev] stack ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);

  const env: NodeJS.ProcessEnv = production ? productionEnv() : { PORT: String(devApiPort), ...localEnv() };
  const running = production ? await startSeparately(env) : await startInProcess(env);
  await pointPostmarkWebhookAt(`${running.receiptsUrl}/v1/callbacks/postmark`, env);
  const demoKey = await saveDemoClient(env);
  const apiUrl = Object.values(running.urls)[0]!;

  console.log(`\nCommunication Service is running on the ${values.profile} stack:`);
  for (const [name, url] of Object.entries({ ...running.urls, ...stackUrls(servers) }))
    console.log(`  ${name.padEnd(24)} ${url}`);
  console.log(`  ${'Demo client'.padEnd(24)} ${demoClientId}`);
  console.log(`  ${'Demo API key'.padEnd(24)} ${demoKey}`);
  console.log(`  ${'Admin API key'.padEnd(24)} in .stack/dev-admin-key (or ADMIN_API_KEY when set)`);
  console.log(`\nTry:\n  curl -s -X POST ${apiUrl}/v1/messages/email -H 'authorization: Bearer ${demoKey}' \\
    -H 'content-type: application/json' \\
    -d '{"recipient":{"email":"dana@example.com"},"content":{"email":{"subject":"Hello","text":"Hi Dana"}}}'`);
  console.log(`\nOr publish the same JSON with "clientId":"${demoClientId}" to the Kafka topic channels.messages.`);
  console.log(
    `\nCtrl-C stops the API, bridge and worker; \`npm run stack:down${production ? ' -- --profile production' : ''}\` stops the servers.`,
  );

  const stop = async () => {
    await running.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  await running.done;
}

main().catch((err: unknown) => {
  console.error(`[dev] ${(err as Error).message}`);
  process.exit(1);
});
