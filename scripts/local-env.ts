import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { stackPaths, stackRoot } from './stack/paths';
import { kafkaBootstrap } from './stack/kafka-cluster';
import { sandboxTls } from './stack/sandbox';
import { devApiPort, uiOrigins } from './stack/temporal';

/** A value kept in the stack folder so that restarts of `npm run dev` keep the same keys. */
function remembered(name: string, make: () => string): string {
  const file = path.join(stackRoot, name);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(stackRoot, { recursive: true });
  const value = make();
  fs.writeFileSync(file, value, { mode: 0o600 });
  return value;
}

/** The environment of the local default: every server on loopback, providers answered by the sandbox. */
export function localEnv(): NodeJS.ProcessEnv {
  fs.mkdirSync(stackPaths.run, { recursive: true });
  return {
    ADMIN_API_KEY: remembered('dev-admin-key', () => `dev-admin-${randomBytes(16).toString('hex')}`),
    TEMPORAL_ADDRESS: '127.0.0.1:7233',
    KAFKA_BROKERS: '127.0.0.1:9092',
    MONGODB_URI: 'mongodb://127.0.0.1:27017/communication',
    POSTMARK_SERVER_TOKEN: 'sandbox-postmark-token',
    POSTMARK_API_URL: 'http://127.0.0.1:4010',
    TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: 'sandbox-twilio-token',
    TWILIO_API_URL: 'http://127.0.0.1:4010',
    FCM_PROJECT_ID: 'sandbox-project',
    FCM_ACCESS_TOKEN: 'sandbox-fcm-token',
    FCM_API_URL: sandboxTls.url,
    FCM_CA_FILE: sandboxTls.certFile,
    PUBLIC_BASE_URL: `http://127.0.0.1:${process.env.PORT ?? devApiPort}`,
    // Payloads are encrypted here too, so what the Web UI shows locally is what staff see in production;
    // the UI of the dev server decodes them through this API, which answers callers on this machine.
    PAYLOAD_ENCRYPTION_KEYS: remembered('dev-payload-keys', () => `dev1:${randomBytes(32).toString('base64')}`),
    CODEC_SERVER_AUTH: 'loopback',
    CODEC_CORS_ORIGINS: uiOrigins.join(','),
    POSTMARK_WEBHOOK_USER: 'postmark-webhook',
    POSTMARK_WEBHOOK_PASSWORD: remembered('dev-postmark-webhook-password', () => randomBytes(16).toString('hex')),
    // Anything set in the shell wins, so the same script can point at other servers.
    ...process.env,
  };
}

/** The same service on the production profile: the three-broker cluster. */
export const productionEnv = (): NodeJS.ProcessEnv => ({
  ...localEnv(),
  KAFKA_BROKERS: kafkaBootstrap,
  ...process.env,
});

export const rememberedDemoKey = (make: () => Promise<string>, isValid: (key: string) => Promise<boolean>) => {
  const file = path.join(stackRoot, 'dev-demo-key');
  return (async () => {
    const saved = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : undefined;
    if (saved !== undefined && (await isValid(saved))) return saved;
    const key = await make();
    fs.writeFileSync(file, key, { mode: 0o600 });
    return key;
  })();
};
