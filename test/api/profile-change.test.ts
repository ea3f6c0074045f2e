import assert from 'node:assert/strict';
import { createEmailClient, emailChannel, emailMessage } from '../support/clients';
import { assertErrorShape, type ErrorBody } from '../support/errors';
import { admin, call } from '../support/http';

describe('a profile change made through the API applies to the next message at once', () => {
  it('disabling email right after a message was accepted makes the next one not deliverable', async function () {
    this.timeout(30_000);
    const client = await createEmailClient();
    // The first message puts the key and the profile in the API's acceptance cache.
    const first = await call('POST', '/v1/messages/email', { key: client.apiKey, body: emailMessage('a@example.com') });
    assert.equal(first.status, 202);

    const disabled = { email: { ...emailChannel.email, enabled: false } };
    const put = await admin('PUT', `/v1/admin/clients/${client.clientId}`, {
      name: 'Email off',
      timezone: 'UTC',
      channels: disabled,
    });
    assert.equal(put.status, 200);

    const next = await call<ErrorBody>('POST', '/v1/messages/email', {
      key: client.apiKey,
      body: emailMessage('a@example.com'),
    });
    assert.equal(next.status, 422);
    assertErrorShape(next.body, 'not_deliverable');
  });
});
