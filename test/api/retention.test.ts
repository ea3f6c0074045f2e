import { WorkflowNotFoundError } from '@temporalio/client';
import assert from 'node:assert/strict';
import { harness } from '../support/harness';
import { call, eventually } from '../support/http';
import { createEmailClient, emailMessage, uniqueId } from '../support/clients';
import { sandboxMessages } from '../support/sandbox';

describe('after the workflow is gone from Temporal (retention ended)', () => {
  it('the status API and idempotency answer from the delivery records, and nothing is sent again', async function () {
    // Deletion runs as a system workflow inside the server; on a freshly started server it can take a while.
    this.timeout(180_000);
    const { temporal } = await harness();
    const { apiKey } = await createEmailClient();
    const to = `${uniqueId('retained')}@example.com`;
    const messageId = uniqueId('retained');
    const body = emailMessage(to, messageId);
    const first = await call('POST', '/v1/messages/email', { key: apiKey, body });
    assert.equal(first.status, 202);
    const handle = temporal.workflow.getHandle(first.body.workflowId);
    await handle.result();

    // What retention does to a closed workflow, done now.
    await temporal.workflowService.deleteWorkflowExecution({
      namespace: 'default',
      workflowExecution: { workflowId: first.body.workflowId },
    });
    await eventually(
      () =>
        handle.describe().then(
          () => undefined,
          (err: unknown) => (err instanceof WorkflowNotFoundError ? true : undefined),
        ),
      'the workflow execution to be deleted',
      150_000,
    );

    const status = await call('GET', `/v1/messages/${messageId}`, { key: apiKey });
    assert.equal(status.status, 200);
    assert.equal(status.body.channels[0].state, 'delivered');

    const repeat = await call('POST', '/v1/messages/email', { key: apiKey, body });
    assert.equal(repeat.status, 202);
    assert.equal(repeat.body.workflowId, first.body.workflowId);
    assert.deepEqual(
      repeat.body.channels.map((c: { channel: string; state: string }) => [c.channel, c.state]),
      [['email', 'scheduled']],
    );
    const changed = { ...body, metadata: { orderId: 'other' } };
    assert.equal((await call('POST', '/v1/messages/email', { key: apiKey, body: changed })).status, 409);

    await new Promise((r) => setTimeout(r, 1000));
    assert.equal((await sandboxMessages({ to })).length, 1);
  });
});
