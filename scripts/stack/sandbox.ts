import fs from 'node:fs';
import path from 'node:path';
import { selfSignedCertificate } from '../tls/certificates';
import { stackRoot } from './paths';
import { spawnDetached } from './processes';
import type { StackServer } from './server';

const port = Number(process.env.SANDBOX_PORT ?? 4010);
const tlsPort = Number(process.env.SANDBOX_TLS_PORT ?? 4443);
const root = path.join(__dirname, '..', '..');

/** The sandbox's TLS identity: a self-signed certificate for Google's API hosts, trusted by the service via FCM_CA_FILE. */
export const sandboxTls = {
  certFile: path.join(stackRoot, 'sandbox', 'tls-cert.pem'),
  keyFile: path.join(stackRoot, 'sandbox', 'tls-key.pem'),
  url: `https://127.0.0.1:${tlsPort}`,
};

async function ensureCertificate() {
  if (fs.existsSync(sandboxTls.certFile) && fs.existsSync(sandboxTls.keyFile)) return;
  const pem = await selfSignedCertificate(
    'communication-service provider sandbox',
    [{ type: 2, value: 'fcm.googleapis.com' }],
    10 * 365,
  );
  fs.mkdirSync(path.dirname(sandboxTls.certFile), { recursive: true });
  fs.writeFileSync(sandboxTls.keyFile, pem.key, { mode: 0o600 });
  fs.writeFileSync(sandboxTls.certFile, pem.cert);
}

/**
 * Our own provider sandbox (scripts/stack/sandbox-server), run as a separate process like the real providers would
 * be; the same in every profile, under the profile's name for it.
 */
export const providerSandbox = (name: string): StackServer => ({
  name,
  ports: [port, tlsPort],
  startTimeoutMs: 30_000,
  urls: { 'Provider sandbox inbox': `http://127.0.0.1:${port}/` },
  ensureBuilt: ensureCertificate,
  start: () =>
    spawnDetached(name, process.execPath, ['--import', 'tsx', path.join(__dirname, 'sandbox-server', 'main.ts')], {
      cwd: root,
      env: {
        ...process.env,
        SANDBOX_PORT: String(port),
        SANDBOX_TLS_PORT: String(tlsPort),
        SANDBOX_TLS_CERT_FILE: sandboxTls.certFile,
        SANDBOX_TLS_KEY_FILE: sandboxTls.keyFile,
      },
    }),
  probe: async () => (await fetch(`http://127.0.0.1:${port}/sandbox/health`)).ok,
});

export const sandboxServer = providerSandbox('sandbox');
