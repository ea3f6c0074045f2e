import assert from 'node:assert/strict';
import { createEmailClient, emailMessage, uniqueId } from '../support/clients';
import { assertErrorShape, assertNoWorkflow, type ErrorBody } from '../support/errors';
import { testEnv } from '../support/harness';
import { admin, call } from '../support/http';

const everyDay = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/** Client A's key against client B's data: every door is closed, and B's data is untouched. */
describe('fault: tenant isolation between two clients', () => {
  let a: Awaited<ReturnType<typeof createEmailClient>>;
  let b: Awaited<ReturnType<typeof createEmailClient>>;
  /** B's message waits twelve hours for its window, so a cancel by A would have something to cancel. */
  const bMessage = uniqueId('b-waiting');

  before(async () => {
    a = await createEmailClient();
    const opens = Date.now() + 12 * 3_600_000;
    const window = { rules: [{ days: everyDay, from: hhmm(opens), to: hhmm(opens + 3_600_000) }] };
    b = await createEmailClient({
      channels: { email: { enabled: true, from: 'noreply@b.example', messageStream: 'outbound', window } },
    });
    const accepted = await call('POST', '/v1/messages/email', {
      key: b.apiKey,
      body: emailMessage('b-customer@example.com', bMessage),
    });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
  });

  const bStatus = async () => (await call('GET', `/v1/messages/${bMessage}`, { key: b.apiKey })).body?.state;

  it("A's key cannot send as B: 403, and no workflow for either", async () => {
    const messageId = uniqueId('as-b');
    const response = await call<ErrorBody>('POST', '/v1/messages/email', {
      key: a.apiKey,
      body: { ...emailMessage('a@example.com', messageId), clientId: b.clientId },
    });
    assert.equal(response.status, 403);
    assertErrorShape(response.body, 'forbidden');
    await assertNoWorkflow(a.clientId, messageId);
    await assertNoWorkflow(b.clientId, messageId);
  });

  it("A's key cannot read or cancel B's message: 404, as if it did not exist, and B's message still waits", async () => {
    for (const method of ['GET', 'DELETE']) {
      const response = await call<ErrorBody>(method, `/v1/messages/${bMessage}`, { key: a.apiKey });
      assert.equal(response.status, 404, `${method}: ${JSON.stringify(response.body)}`);
      assertErrorShape(response.body, 'not_found');
      assert.ok(!JSON.stringify(response.body).includes('b-customer'), 'nothing of B leaks');
    }
    assert.equal(await bStatus(), 'scheduled');
  });

  it("A's key cannot read or change B's profile or keys: the admin endpoints refuse client keys", async () => {
    const before = await admin('GET', `/v1/admin/clients/${b.clientId}`);
    const attempts: [string, string, unknown?][] = [
      ['GET', `/v1/admin/clients/${b.clientId}`],
      ['PUT', `/v1/admin/clients/${b.clientId}`, { name: 'taken over', timezone: 'UTC', channels: {} }],
      ['DELETE', `/v1/admin/clients/${b.clientId}`],
      ['POST', `/v1/admin/clients/${b.clientId}/keys`],
      ['DELETE', `/v1/admin/clients/${b.clientId}/keys/${b.keyId}`],
      ['PUT', `/v1/admin/clients/${a.clientId}`, { name: 'self-service', timezone: 'UTC', channels: {} }],
    ];
    for (const [method, path, body] of attempts) {
      const response = await call<ErrorBody>(method, path, { key: a.apiKey, body });
      assert.equal(response.status, 401, `${method} ${path}`);
      assertErrorShape(response.body, 'unauthorized');
    }
    assert.deepEqual((await admin('GET', `/v1/admin/clients/${b.clientId}`)).body, before.body);
    assert.equal(await bStatus(), 'scheduled', "B's key still works");
  });

  it('a missing, unknown or altered key is 401, and starts no workflow', async () => {
    const messageId = uniqueId('badkey');
    const forged = `csk_${'0'.repeat(16)}_${'A'.repeat(43)}`;
    const altered = a.apiKey.slice(0, -1) + (a.apiKey.endsWith('A') ? 'B' : 'A');
    for (const key of [undefined, forged, 'not-a-key', altered]) {
      const response = await call<ErrorBody>('POST', '/v1/messages/email', {
        key,
        body: emailMessage('a@example.com', messageId),
      });
      assert.equal(response.status, 401, String(key));
      assertErrorShape(response.body, 'unauthorized');
    }
    await assertNoWorkflow(a.clientId, messageId);
  });

  it('a revoked key is 401 at once, even just after it was used; the admin key is not a client key', async () => {
    const other = await createEmailClient();
    // Used first, so the API holds it in its acceptance cache: revoking must drop it there too.
    const used = await call('POST', '/v1/messages/email', { key: other.apiKey, body: emailMessage('a@example.com') });
    assert.equal(used.status, 202);
    assert.equal((await admin('DELETE', `/v1/admin/clients/${other.clientId}/keys/${other.keyId}`)).status, 204);
    for (const key of [other.apiKey, testEnv.ADMIN_API_KEY]) {
      const response = await call<ErrorBody>('POST', '/v1/messages/email', {
        key,
        body: emailMessage('a@example.com'),
      });
      assert.equal(response.status, 401);
      assertErrorShape(response.body, 'unauthorized');
    }
  });
});
