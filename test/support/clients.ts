import { randomBytes } from 'node:crypto';
import { admin } from './http';

export const uniqueId = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;

/** A fresh client with the given profile and one API key, so tests never share state. */
export async function createClient(prefix: string, profileBody: Record<string, unknown>) {
  const clientId = uniqueId(prefix);
  const profile = await admin('PUT', `/v1/admin/clients/${clientId}`, { name: `Test ${clientId}`, ...profileBody });
  if (profile.status !== 201) throw new Error(`creating client failed: ${JSON.stringify(profile.body)}`);
  const key = await admin('POST', `/v1/admin/clients/${clientId}/keys`);
  if (key.status !== 201) throw new Error(`issuing key failed: ${JSON.stringify(key.body)}`);
  return { clientId, apiKey: key.body.apiKey as string, keyId: key.body.keyId as string };
}

export const emailChannel = { email: { enabled: true, from: 'noreply@acme.example', messageStream: 'outbound' } };
export const smsChannel = { sms: { enabled: true, from: '+15550001111' } };
export const pushChannel = { push: { enabled: true } };

/** Email enabled, in Jerusalem time, no window. */
export const createEmailClient = (overrides: Record<string, unknown> = {}) =>
  createClient('client', { timezone: 'Asia/Jerusalem', channels: emailChannel, ...overrides });

/** SMS enabled (sender +15550001111), no window. */
export const createSmsClient = (overrides: Record<string, unknown> = {}) =>
  createClient('sms-client', { timezone: 'UTC', channels: smsChannel, ...overrides });

/** Push enabled, no window. */
export const createPushClient = (overrides: Record<string, unknown> = {}) =>
  createClient('push-client', { timezone: 'UTC', channels: pushChannel, ...overrides });

export const emailMessage = (to: string, messageId?: string) => ({
  ...(messageId ? { messageId } : {}),
  recipient: { email: to },
  content: { email: { subject: 'Shipped', text: 'Your order shipped', html: '<p>Your order shipped</p>' } },
  metadata: { orderId: '1234' },
});
