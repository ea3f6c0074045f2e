import assert from 'node:assert/strict';
import { Errors, ServerClient } from 'postmark';
import { PostmarkEmailProvider } from '../../src/providers/postmark/postmark-email-provider';
import { sandboxUrl, testEnv } from '../support/harness';
import { uniqueId } from '../support/clients';
import { providerError } from '../support/provider-error';
import { sandboxMessages } from '../support/sandbox';

const message = (to: string) => ({
  from: 'noreply@acme.example',
  to,
  subject: 'Hello',
  text: 'Hi',
  messageStream: 'outbound',
  metadata: { messageId: 'm1' },
});

describe('the Postmark adapter against the sandbox, over real HTTP', () => {
  const provider = new PostmarkEmailProvider({ serverToken: testEnv.POSTMARK_SERVER_TOKEN!, apiUrl: sandboxUrl });

  it('returns the MessageID Postmark assigned', async () => {
    const to = `${uniqueId('ok')}@example.com`;
    const accepted = await provider.send(message(to));
    const [received] = await sandboxMessages({ to });
    assert.equal(accepted.providerMessageId, received?.providerMessageId);
    assert.ok(!Number.isNaN(Date.parse(accepted.acceptedAt)));
  });

  it('classifies an inactive recipient (422, ErrorCode 406) as permanent', async () => {
    const err = await providerError(provider.send(message(`${uniqueId('inactive')}@example.com`)));
    assert.deepEqual([err.details.permanent, err.details.status, err.details.code], [true, 422, 406]);
  });

  it('classifies an invalid request (422, ErrorCode 300) as permanent', async () => {
    const err = await providerError(provider.send({ ...message('x@example.com'), from: 'not-an-address' }));
    assert.deepEqual([err.details.permanent, err.details.code], [true, 300]);
  });

  it('classifies a rejected server token (401) as transient, so a fixed deployment still delivers', async () => {
    const wrongToken = new PostmarkEmailProvider({ serverToken: 'wrong', apiUrl: sandboxUrl });
    const err = await providerError(wrongToken.send(message('x@example.com')));
    assert.deepEqual([err.details.permanent, err.details.status], [false, 401]);
  });

  it('classifies a refused connection as transient', async () => {
    const nowhere = new PostmarkEmailProvider({ serverToken: 't', apiUrl: 'http://127.0.0.1:9', timeoutSeconds: 2 });
    const err = await providerError(nowhere.send(message('x@example.com')));
    assert.equal(err.details.permanent, false);
  });
});

describe('the sandbox speaks the Postmark email API as the official SDK expects', () => {
  const client = (token = testEnv.POSTMARK_SERVER_TOKEN!) =>
    new ServerClient(token, { useHttps: false, requestHost: new URL(sandboxUrl).host });

  it('answers a send with To, SubmittedAt, MessageID, ErrorCode 0 and Message OK', async () => {
    const to = `${uniqueId('sdk')}@example.com`;
    const response = await client().sendEmail({ From: 'a@acme.example', To: to, Subject: 's', TextBody: 't' });
    assert.equal(response.To, to);
    assert.equal(response.ErrorCode, 0);
    assert.equal(response.Message, 'OK');
    assert.match(response.MessageID, /^[0-9a-f-]{36}$/);
    assert.ok(!Number.isNaN(Date.parse(response.SubmittedAt)));
  });

  it('refuses a missing or wrong server token with 401 and ErrorCode 10, which the SDK raises as InvalidAPIKeyError', async () => {
    await assert.rejects(
      client('nope').sendEmail({ From: 'a@acme.example', To: 'b@example.com', Subject: 's', TextBody: 't' }),
      (err: unknown) => err instanceof Errors.InvalidAPIKeyError && err.code === 10 && err.statusCode === 401,
    );
  });

  it('refuses a message without a body with 422 and ErrorCode 300', async () => {
    await assert.rejects(
      client().sendEmail({ From: 'a@acme.example', To: 'b@example.com', Subject: 's' }),
      (err: unknown) =>
        err instanceof Errors.ApiInputError && err.code === 300 && /TextBody or HtmlBody/.test(err.message),
    );
  });

  it('refuses a message without recipients with 422 and ErrorCode 300', async () => {
    await assert.rejects(
      client().sendEmail({ From: 'a@acme.example', To: '', Subject: 's', TextBody: 't' }),
      (err: unknown) => err instanceof Errors.ApiInputError && err.code === 300 && /Zero recipients/.test(err.message),
    );
  });

  it('lists received messages filtered by channel and recipient, and shows them on the inbox page', async () => {
    const to = `${uniqueId('inbox')}@example.com`;
    await client().sendEmail({ From: 'a@acme.example', To: `Dana <${to}>`, Subject: 'Inbox subject', TextBody: 't' });
    const listed = await sandboxMessages({ channel: 'email', to });
    assert.equal(listed.length, 1);
    assert.equal((await sandboxMessages({ channel: 'sms', to })).length, 0);
    const page = await (await fetch(`${sandboxUrl}/`)).text();
    assert.match(page, new RegExp(to));
    assert.match(page, /Inbox subject/);
  });
});
