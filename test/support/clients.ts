import { randomBytes } from 'node:crypto';
import { admin } from './http';

export const uniqueId = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;

/** A fresh client with email enabled and one API key, so tests never share state. */
export async function createEmailClient(overrides: Record<string, unknown> = {}) {
  const clientId = uniqueId('client');
  const profile = await admin('PUT', `/v1/admin/clients/${clientId}`, {
    name: `Test ${clientId}`,
    timezone: 'Asia/Jerusalem',
    channels: { email: { enabled: true, from: 'noreply@acme.example', messageStream: 'outbound' } },
    ...overrides,
  });
  if (profile.status !== 201) throw new Error(`creating client failed: ${JSON.stringify(profile.body)}`);
  const key = await admin('POST', `/v1/admin/clients/${clientId}/keys`);
  if (key.status !== 201) throw new Error(`issuing key failed: ${JSON.stringify(key.body)}`);
  return { clientId, apiKey: key.body.apiKey as string, keyId: key.body.keyId as string };
}

/** A fresh client with SMS enabled (sender +15550001111, no window) and one API key. */
export async function createSmsClient(prefix = 'sms-client') {
  const clientId = uniqueId(prefix);
  const profile = await admin('PUT', `/v1/admin/clients/${clientId}`, {
    name: `SMS ${clientId}`,
    timezone: 'UTC',
    channels: { sms: { enabled: true, from: '+15550001111' } },
  });
  if (profile.status !== 201) throw new Error(`creating client failed: ${JSON.stringify(profile.body)}`);
  const key = await admin('POST', `/v1/admin/clients/${clientId}/keys`);
  return { clientId, apiKey: key.body.apiKey as string };
}

export const emailMessage = (to: string, messageId?: string) => ({
  ...(messageId ? { messageId } : {}),
  recipient: { email: to },
  content: { email: { subject: 'Shipped', text: 'Your order shipped', html: '<p>Your order shipped</p>' } },
  metadata: { orderId: '1234' },
});
