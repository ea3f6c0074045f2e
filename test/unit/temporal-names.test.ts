import assert from 'node:assert/strict';
import { errorTypes, isMessageWorkflowId, messageWorkflowId } from '../../src/shared/temporal-names';

describe('the names this service gives Temporal', () => {
  it("recognises a message's workflow ID by the prefix messageWorkflowId gives it", () => {
    assert.equal(messageWorkflowId('acme', 'order-17'), 'msg:acme:order-17');
    assert.ok(isMessageWorkflowId(messageWorkflowId('acme', 'order-17')));
    for (const other of ['', 'msg', 'MSG:acme:1', 'cron:msg:acme:1', ' msg:acme:1']) {
      assert.equal(isMessageWorkflowId(other), false, other);
    }
  });

  it('keeps every failure type as recorded histories and retry policies know it', () => {
    assert.deepEqual(errorTypes, {
      permanentProviderError: 'PermanentProviderError',
      transientProviderError: 'TransientProviderError',
      clientNotFound: 'ClientNotFound',
      windowClosed: 'WindowClosed',
      permanentWebhookError: 'PermanentWebhookError',
      webhookError: 'WebhookError',
    });
  });
});
