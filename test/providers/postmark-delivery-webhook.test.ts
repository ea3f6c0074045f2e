import assert from 'node:assert/strict';
import { verifyPostmarkWebhook } from '../../src/providers/postmark/delivery-webhook';
import { ReceiptRejected } from '../../src/providers/receipts';

const credentials = { user: 'postmark-webhook', password: 's3cret' };
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const authorization = basic(credentials.user, credentials.password);

const event = (fields: Record<string, unknown>) => ({
  MessageID: '0a1b2c3d-0000-4000-8000-000000000000',
  Metadata: { clientId: 'acme', messageId: 'order-17' },
  ...fields,
});

const rejection = (reason: ReceiptRejected['reason'], message: RegExp) => (err: unknown) =>
  err instanceof ReceiptRejected && err.reason === reason && message.test(err.message);

describe("Postmark's delivery and bounce webhooks, verified and read", () => {
  it("finds the message's workflow from its Metadata and reads Delivery as delivered", () => {
    assert.deepEqual(verifyPostmarkWebhook(credentials, authorization, event({ RecordType: 'Delivery' })), {
      workflowId: 'msg:acme:order-17',
      receipt: { channel: 'email', providerMessageId: '0a1b2c3d-0000-4000-8000-000000000000', outcome: 'delivered' },
    });
  });

  it('reads Bounce as failed, naming the bounce type and its description', () => {
    const bounce = event({ RecordType: 'Bounce', Type: 'HardBounce', Description: 'The server was unable to deliver' });
    assert.deepEqual(verifyPostmarkWebhook(credentials, authorization, bounce).receipt, {
      channel: 'email',
      providerMessageId: '0a1b2c3d-0000-4000-8000-000000000000',
      outcome: 'failed',
      error: 'Postmark HardBounce: The server was unable to deliver',
    });
    assert.equal(
      verifyPostmarkWebhook(credentials, authorization, event({ RecordType: 'Bounce' })).receipt?.error,
      'Postmark bounce:',
    );
  });

  it('gives no receipt for other record types (opens, clicks, spam complaints)', () => {
    for (const RecordType of ['Open', 'Click', 'SpamComplaint', undefined]) {
      assert.deepEqual(verifyPostmarkWebhook(credentials, authorization, event({ RecordType })), {
        workflowId: 'msg:acme:order-17',
      });
    }
  });

  it('refuses as unverified: no credentials, wrong ones, another scheme, none configured', () => {
    const delivery = event({ RecordType: 'Delivery' });
    const attempts: [typeof credentials | undefined, string | undefined][] = [
      [credentials, undefined],
      [credentials, basic(credentials.user, 'guess')],
      [credentials, basic('someone', credentials.password)],
      [credentials, `Bearer ${credentials.password}`],
      [credentials, `${authorization} `],
      [undefined, authorization],
    ];
    for (const [configured, header] of attempts) {
      assert.throws(
        () => verifyPostmarkWebhook(configured, header, delivery),
        rejection('unverified', /^the Postmark webhook credentials do not match$/),
      );
    }
  });

  it("refuses as foreign an authenticated webhook that names no message of this service's", () => {
    const foreign = [
      event({ RecordType: 'Delivery', Metadata: undefined }),
      event({ RecordType: 'Delivery', Metadata: { clientId: 'acme' } }),
      event({ RecordType: 'Delivery', Metadata: { messageId: 'order-17' } }),
      event({ RecordType: 'Delivery', MessageID: undefined }),
      undefined,
    ];
    for (const body of foreign) {
      assert.throws(
        () => verifyPostmarkWebhook(credentials, authorization, body),
        rejection('foreign', /^not a webhook for a message of this service$/),
      );
    }
  });
});
