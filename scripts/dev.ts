import { startApi } from '../src/api/main';
import { startBridge } from '../src/kafka-bridge/main';
import { profileSchema } from '../src/shared/profile-schema';
import { openDatabase } from '../src/db/mongo';
import { installSdkRuntime } from '../src/temporal/runtime';
import { startWorkers } from '../src/worker/main';
import { localEnv, rememberedDemoKey } from './local-env';
import { pointPostmarkWebhookAt } from './sandbox-webhook';
import { stackUp, stackUrls } from './stack';
import { devApiPort } from './stack/temporal';

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

async function main(): Promise<void> {
  console.log('[dev] starting the local stack (the first run builds it: several minutes)');
  const started = Date.now();
  await stackUp();
  console.log(`[dev] stack ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);

  const env: NodeJS.ProcessEnv = { PORT: String(devApiPort), ...localEnv() };
  installSdkRuntime();
  const workers = await startWorkers(env);
  const api = await startApi(env);
  const bridge = await startBridge(env);
  await pointPostmarkWebhookAt(`${env.PUBLIC_BASE_URL}/v1/callbacks/postmark`, env);
  const db = await openDatabase(env.MONGODB_URI!);
  await db.profiles.saveProfile(demoProfile);
  const demoKey = await rememberedDemoKey(
    async () => (await db.apiKeys.issueApiKey(demoClientId)).apiKey,
    async (key) => (await db.apiKeys.clientForApiKey(key)) === demoClientId,
  );
  await db.close();

  const urls = { API: api.url, 'Kafka bridge health': `${bridge.url}/health/ready`, ...stackUrls() };
  console.log('\nCommunication Service is running on the local stack:');
  for (const [name, url] of Object.entries(urls)) console.log(`  ${name.padEnd(24)} ${url}`);
  console.log(`  ${'Demo client'.padEnd(24)} ${demoClientId}`);
  console.log(`  ${'Demo API key'.padEnd(24)} ${demoKey}`);
  console.log(`  ${'Admin API key'.padEnd(24)} in .stack/dev-admin-key (or ADMIN_API_KEY when set)`);
  console.log(`\nTry:\n  curl -s -X POST ${api.url}/v1/messages/email -H 'authorization: Bearer ${demoKey}' \\
    -H 'content-type: application/json' \\
    -d '{"recipient":{"email":"dana@example.com"},"content":{"email":{"subject":"Hello","text":"Hi Dana"}}}'`);
  console.log(`\nOr publish the same JSON with "clientId":"${demoClientId}" to the Kafka topic channels.messages.`);
  console.log('\nCtrl-C stops the API, bridge and worker; `npm run stack:down` stops the servers.');

  const stop = async () => {
    await bridge.stop();
    await api.stop();
    await workers.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  await workers.done;
}

main().catch((err: unknown) => {
  console.error(`[dev] ${(err as Error).message}`);
  process.exit(1);
});
