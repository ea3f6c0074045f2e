import assert from 'node:assert/strict';
import { harness } from '../support/harness';
import { call, eventually } from '../support/http';
import { createEmailClient, emailMessage, uniqueId } from '../support/clients';
import { acceptedBySandbox, sandboxMessages } from '../support/sandbox';

describe('idempotency by messageId', () => {
  it('the same messageId and body twice starts one workflow and sends one email', async () => {
    const { temporal } = await harness();
    const { apiKey } = await createEmailClient();
    const to = `${uniqueId('twice')}@example.com`;
    const messageId = uniqueId('same');
    const body = emailMessage(to, messageId);

    const [first, second] = await Promise.all([
      call('POST', '/v1/messages/email', { key: apiKey, body }),
      call('POST', '/v1/messages/email', { key: apiKey, body }),
    ]);
    const third = await call('POST', '/v1/messages/email', { key: apiKey, body });
    for (const response of [first, second, third]) {
      assert.equal(response.status, 202, JSON.stringify(response.body));
      assert.deepEqual(response.body, first.body);
    }

    const handle = temporal.workflow.getHandle(third.body.workflowId);
    await handle.result();
    const fourth = await call('POST', '/v1/messages/email', { key: apiKey, body });
    assert.equal(fourth.status, 202);
    assert.deepEqual(fourth.body, first.body, 'a repeat after completion gets the first answer back');

    await acceptedBySandbox({ channel: 'email', to });
    const runs = [];
    for await (const run of temporal.workflow.list({ query: `WorkflowId = '${third.body.workflowId}'` }))
      runs.push(run);
    assert.ok(runs.length <= 1, `expected one run, saw ${runs.length}`);
    assert.equal((await sandboxMessages({ channel: 'email', to })).length, 1);
  });

  it('the same messageId with a different body is 409 and changes nothing', async () => {
    const { apiKey } = await createEmailClient();
    const to = `${uniqueId('conflict')}@example.com`;
    const messageId = uniqueId('conflict');
    const first = await call('POST', '/v1/messages/email', { key: apiKey, body: emailMessage(to, messageId) });
    assert.equal(first.status, 202);

    const changed = emailMessage(to, messageId);
    changed.content.email.subject = 'Something else';
    const second = await call('POST', '/v1/messages/email', { key: apiKey, body: changed });
    assert.equal(second.status, 409);
    assert.equal(second.body.error.code, 'idempotency_conflict');

    await eventually(async () => {
      const status = await call('GET', `/v1/messages/${messageId}`, { key: apiKey });
      return status.body?.state === 'delivered' ? status : undefined;
    }, 'the first message to be sent');
    const afterCompletion = await call('POST', '/v1/messages/email', { key: apiKey, body: changed });
    assert.equal(afterCompletion.status, 409);
    const received = await sandboxMessages({ channel: 'email', to });
    assert.deepEqual(
      received.map((m) => (m.request.body as { Subject: string }).Subject),
      ['Shipped'],
    );
  });

  it('the same messageId used by two different clients is two messages', async () => {
    const a = await createEmailClient();
    const b = await createEmailClient();
    const messageId = uniqueId('shared');
    const ra = await call('POST', '/v1/messages/email', {
      key: a.apiKey,
      body: emailMessage('a@example.com', messageId),
    });
    const rb = await call('POST', '/v1/messages/email', {
      key: b.apiKey,
      body: emailMessage('b@example.com', messageId),
    });
    assert.equal(ra.status, 202);
    assert.equal(rb.status, 202);
    assert.notEqual(ra.body.workflowId, rb.body.workflowId);
  });
});
