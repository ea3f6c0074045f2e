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

const server = createSandboxApp({ postmark: { serverTokens: postmarkTokens }, twilio }).listen(port, host, () => {
  console.log(`provider sandbox listening on http://${host}:${port}/`);
});
server.on('error', (err) => {
  console.error(`provider sandbox could not listen on ${host}:${port}: ${err.message}`);
  process.exit(1);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
