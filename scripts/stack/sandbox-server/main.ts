import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { Server } from 'node:net';
import { createSandboxApp } from './app';

const port = Number(process.env.SANDBOX_PORT ?? 4010);
const host = process.env.SANDBOX_HOST ?? '127.0.0.1';
const postmarkTokens = (process.env.SANDBOX_POSTMARK_SERVER_TOKENS ?? 'sandbox-postmark-token')
  .split(',')
  .map((t) => t.trim())
  .filter(Boolean);

const twilio = {
  accountSid: process.env.SANDBOX_TWILIO_ACCOUNT_SID ?? `AC${'0'.repeat(32)}`,
  authToken: process.env.SANDBOX_TWILIO_AUTH_TOKEN ?? 'sandbox-twilio-token',
};
const fcm = { accessToken: process.env.SANDBOX_FCM_ACCESS_TOKEN ?? 'sandbox-fcm-token' };

const app = createSandboxApp({ postmark: { serverTokens: postmarkTokens }, twilio, fcm });

function listen(server: Server, listenPort: number, url: string) {
  server.listen(listenPort, host, () => console.log(`provider sandbox listening on ${url}`));
  server.on('error', (err) => {
    console.error(`provider sandbox could not listen on ${host}:${listenPort}: ${err.message}`);
    process.exit(1);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

listen(http.createServer(app), port, `http://${host}:${port}/`);

// firebase-admin only speaks HTTPS to fcm.googleapis.com, so FCM is also served over TLS with a certificate
// for that name, which the service trusts through FCM_CA_FILE.
const { SANDBOX_TLS_CERT_FILE: certFile, SANDBOX_TLS_KEY_FILE: keyFile } = process.env;
if (certFile && keyFile) {
  const tlsPort = Number(process.env.SANDBOX_TLS_PORT ?? 4443);
  const server = https.createServer({ cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) }, app);
  listen(server, tlsPort, `https://${host}:${tlsPort}/`);
}
