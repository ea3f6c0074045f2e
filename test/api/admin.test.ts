import assert from 'node:assert/strict';
import { admin, call } from '../support/http';
import { uniqueId } from '../support/clients';

const validProfile = {
  name: 'Acme Ltd',
  timezone: 'Asia/Jerusalem',
  windowClock: 'client',
  allowUrgentBypass: true,
  channels: {
    sms: {
      enabled: true,
      from: '+15550001111',
      window: {
        rules: [{ days: ['sun', 'mon', 'tue', 'wed', 'thu'], from: '08:00', to: '20:00' }],
        blackouts: [{ from: '2026-12-25', to: '2026-12-26' }],
        outside: 'defer',
        maxDefer: 'PT48H',
      },
    },
    email: { enabled: true, from: 'noreply@acme.example', messageStream: 'outbound' },
    push: { enabled: false },
  },
  webhook: { url: 'https://acme.example/hooks/channels', secret: 'a-webhook-secret-of-some-length' },
};

type Profile = typeof validProfile;
const withSmsWindow = (p: Profile, patch: Record<string, unknown>) => ({
  ...p,
  channels: { ...p.channels, sms: { ...p.channels.sms, window: { ...p.channels.sms.window, ...patch } } },
});

describe('the admin API for client profiles and keys', () => {
  it('creates, replaces, reads (without the webhook secret) and deletes a profile', async () => {
    const clientId = uniqueId('acme');
    const created = await admin('PUT', `/v1/admin/clients/${clientId}`, validProfile);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.revision, 1);
    const replaced = await admin('PUT', `/v1/admin/clients/${clientId}`, { ...validProfile, name: 'Acme 2' });
    assert.equal(replaced.status, 200);
    assert.equal(replaced.body.revision, 2);

    const read = await admin('GET', `/v1/admin/clients/${clientId}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.name, 'Acme 2');
    assert.equal(read.body.clientId, clientId);
    assert.equal(read.body.webhook.secret, '[redacted]');
    assert.equal(read.body.channels.sms.window.rules[0].from, '08:00');

    assert.equal((await admin('DELETE', `/v1/admin/clients/${clientId}`)).status, 204);
    assert.equal((await admin('GET', `/v1/admin/clients/${clientId}`)).status, 404);
  });

  const invalid: [string, (p: Profile) => unknown, string][] = [
    ['an unknown IANA zone', (p) => ({ ...p, timezone: 'Mars/Olympus' }), 'timezone'],
    [
      'a window time that is not HH:MM',
      (p) => withSmsWindow(p, { rules: [{ days: ['mon'], from: '8am', to: '20:00' }] }),
      'channels.sms.window.rules.0.from',
    ],
    [
      'an unknown day',
      (p) => withSmsWindow(p, { rules: [{ days: ['funday'], from: '08:00', to: '20:00' }] }),
      'channels.sms.window.rules.0.days.0',
    ],
    ['a bad ISO duration', (p) => withSmsWindow(p, { maxDefer: '48 hours' }), 'channels.sms.window.maxDefer'],
    [
      'an inverted blackout',
      (p) => withSmsWindow(p, { blackouts: [{ from: '2026-12-26', to: '2026-12-25' }] }),
      'channels.sms.window.blackouts.0',
    ],
    [
      'an enabled email channel without a from address',
      (p) => ({ ...p, channels: { email: { enabled: true } } }),
      'channels.email.from',
    ],
  ];
  for (const [what, mutate, path] of invalid) {
    it(`refuses ${what} with 400 naming ${path}`, async () => {
      const response = await admin('PUT', `/v1/admin/clients/${uniqueId('bad')}`, mutate(validProfile));
      assert.equal(response.status, 400, JSON.stringify(response.body));
      assert.ok(
        response.body.error.details.some((d: { path: string }) => d.path === path),
        JSON.stringify(response.body.error.details),
      );
    });
  }

  it('refuses admin calls without the admin key, and with a client key', async () => {
    const clientId = uniqueId('acme');
    assert.equal((await admin('PUT', `/v1/admin/clients/${clientId}`, validProfile)).status, 201);
    const key = await admin('POST', `/v1/admin/clients/${clientId}/keys`);
    assert.equal((await call('GET', `/v1/admin/clients/${clientId}`)).status, 401);
    assert.equal((await call('GET', `/v1/admin/clients/${clientId}`, { key: key.body.apiKey })).status, 401);
  });

  it('issues keys shown once in the form csk_<keyId>_<secret>, and revokes them', async () => {
    const clientId = uniqueId('acme');
    await admin('PUT', `/v1/admin/clients/${clientId}`, validProfile);
    const issued = await admin('POST', `/v1/admin/clients/${clientId}/keys`);
    assert.equal(issued.status, 201);
    assert.match(issued.body.apiKey, new RegExp(`^csk_${issued.body.keyId}_[A-Za-z0-9_-]{43}$`));
    assert.equal((await admin('DELETE', `/v1/admin/clients/${clientId}/keys/${issued.body.keyId}`)).status, 204);
    assert.equal((await admin('DELETE', `/v1/admin/clients/${clientId}/keys/${issued.body.keyId}`)).status, 404);
    assert.equal((await admin('POST', `/v1/admin/clients/${uniqueId('ghost')}/keys`)).status, 404);
  });
});
