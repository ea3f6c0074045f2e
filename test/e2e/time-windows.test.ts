import assert from 'node:assert/strict';
import { harness } from '../support/harness';
import { admin, call, eventually } from '../support/http';
import { createEmailClient, emailMessage, uniqueId } from '../support/clients';
import { acceptedBySandbox, sandboxMessages } from '../support/sandbox';

const everyDay = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/** A UTC window that opens at the first whole minute at least `leadMs` from now and stays open two minutes. */
function windowOpeningSoon(leadMs: number) {
  const opensAt = Math.ceil((Date.now() + leadMs) / 60_000) * 60_000;
  return {
    opensAt,
    window: { rules: [{ days: everyDay, from: hhmm(opensAt), to: hhmm(opensAt + 120_000) }], outside: 'defer' },
  };
}

/** A UTC window that opens twelve hours from now, so a message waits. */
function windowOpeningLater() {
  const opensAt = Math.ceil((Date.now() + 12 * 3_600_000) / 60_000) * 60_000;
  return { opensAt, window: { rules: [{ days: everyDay, from: hhmm(opensAt), to: hhmm(opensAt + 3_600_000) }] } };
}

const emailProfile = (window?: unknown, enabled = true) => ({
  name: 'Windowed',
  timezone: 'UTC',
  channels: { email: { enabled, from: 'noreply@acme.example', ...(window ? { window } : {}) } },
});

/** Visibility is eventually consistent: the re-plan finds running workflows through their ClientId. */
async function visibleToReplan(clientId: string) {
  const { temporal } = await harness();
  await eventually(async () => {
    for await (const _ of temporal.workflow.list({
      query: `ClientId = '${clientId}' AND ExecutionStatus = 'Running'`,
    })) {
      return true;
    }
    return undefined;
  }, 'the workflow to be visible');
}

async function statusOf(apiKey: string, messageId: string) {
  return (await call('GET', `/v1/messages/${messageId}`, { key: apiKey })).body;
}

describe('time windows on the real stack', () => {
  it('a message sent before its window opens reaches the sandbox after the opening and not before', async function () {
    this.timeout(150_000);
    const { opensAt, window } = windowOpeningSoon(5_000);
    const { clientId, apiKey } = await createEmailClient(emailProfile(window));
    const to = `${uniqueId('soon')}@example.com`;
    const messageId = uniqueId('soon');

    const accepted = await call('POST', '/v1/messages/email', { key: apiKey, body: emailMessage(to, messageId) });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    assert.deepEqual(accepted.body.channels, [
      { channel: 'email', state: 'scheduled', notBefore: new Date(opensAt).toISOString() },
    ]);

    const waiting = await eventually(async () => {
      const body = await statusOf(apiKey, messageId);
      return body?.channels?.[0]?.window ? body : undefined;
    }, 'the status to explain the wait');
    const [email] = waiting.channels;
    assert.equal(waiting.state, 'scheduled');
    assert.equal(email.notBefore, new Date(opensAt).toISOString());
    assert.equal(email.window.zone, 'UTC');
    assert.equal(email.window.clock, 'client');
    assert.match(email.window.rule, /^rule 1: /);
    assert.equal((await sandboxMessages({ to })).length, 0, 'nothing reaches the provider before the opening');

    const { temporal } = await harness();
    const description = await temporal.workflow.getHandle(`msg:${clientId}:${messageId}`).describe();
    assert.equal(description.status.name, 'RUNNING');

    const [received] = await acceptedBySandbox({ to }, opensAt - Date.now() + 30_000);
    assert.ok(Date.parse(received!.receivedAt) >= opensAt, `${received!.receivedAt} is not before the opening`);
    await eventually(
      async () => ((await statusOf(apiKey, messageId))?.state === 'delivered' ? true : undefined),
      'delivered',
    );
  });

  it('DELETE cancels a waiting message: it ends cancelled and is never sent', async () => {
    const { apiKey } = await createEmailClient(emailProfile(windowOpeningLater().window));
    const to = `${uniqueId('cancel')}@example.com`;
    const messageId = uniqueId('cancel');
    assert.equal(
      (await call('POST', '/v1/messages/email', { key: apiKey, body: emailMessage(to, messageId) })).status,
      202,
    );
    await eventually(
      async () => ((await statusOf(apiKey, messageId))?.channels?.[0]?.window ? true : undefined),
      'waiting',
    );

    const cancelled = await call('DELETE', `/v1/messages/${messageId}`, { key: apiKey });
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.channels[0].state, 'cancelled');
    const final = await eventually(async () => {
      const body = await statusOf(apiKey, messageId);
      return body?.state === 'cancelled' ? body : undefined;
    }, 'the cancelled record');
    assert.deepEqual(
      final.channels[0].history.map((h: { state: string }) => h.state),
      ['scheduled', 'cancelled'],
    );
    assert.equal((await call('DELETE', `/v1/messages/${messageId}`, { key: apiKey })).body.state, 'cancelled');
    assert.equal((await call('DELETE', `/v1/messages/${uniqueId('nothing')}`, { key: apiKey })).status, 404);
    assert.equal((await sandboxMessages({ to })).length, 0);
  });

  it('a profile change re-plans waiting messages: a window removed sends at once', async () => {
    const { clientId, apiKey } = await createEmailClient(emailProfile(windowOpeningLater().window));
    const to = `${uniqueId('replan')}@example.com`;
    const messageId = uniqueId('replan');
    await call('POST', '/v1/messages/email', { key: apiKey, body: emailMessage(to, messageId) });
    await eventually(
      async () => ((await statusOf(apiKey, messageId))?.channels?.[0]?.window ? true : undefined),
      'waiting',
    );
    await visibleToReplan(clientId);

    assert.equal((await admin('PUT', `/v1/admin/clients/${clientId}`, emailProfile())).status, 200);
    await acceptedBySandbox({ to });
    await eventually(
      async () => ((await statusOf(apiKey, messageId))?.state === 'delivered' ? true : undefined),
      'delivered',
    );
  });

  it('a profile change that disables the channel ends waiting messages rejected with the reason', async () => {
    const { clientId, apiKey } = await createEmailClient(emailProfile(windowOpeningLater().window));
    const messageId = uniqueId('disabled');
    await call('POST', '/v1/messages/email', { key: apiKey, body: emailMessage('x@example.com', messageId) });
    await visibleToReplan(clientId);

    assert.equal((await admin('PUT', `/v1/admin/clients/${clientId}`, emailProfile(undefined, false))).status, 200);
    const final = await eventually(async () => {
      const body = await statusOf(apiKey, messageId);
      return body?.state === 'rejected' ? body : undefined;
    }, 'the channel to be rejected');
    assert.match(final.channels[0].lastError, /not enabled/);
  });

  it('a category window adds to the channel: a marketing email waits for it, a transactional one goes at once', async () => {
    const { opensAt, window } = windowOpeningLater();
    const { clientId, apiKey } = await createEmailClient({
      name: 'Categories',
      timezone: 'UTC',
      channels: {
        email: { enabled: true, from: 'noreply@acme.example', categories: { marketing: { window } } },
      },
    });
    const to = `${uniqueId('category')}@example.com`;
    const [transactional, marketing] = [uniqueId('receipt'), uniqueId('promo')];
    const sent = await call('POST', '/v1/messages/email', { key: apiKey, body: emailMessage(to, transactional) });
    // Due now: scheduled at its acceptance instant, not at the marketing opening.
    assert.ok(Math.abs(Date.parse(sent.body.channels[0].notBefore) - Date.now()) < 60_000, JSON.stringify(sent.body));
    const promo = { ...emailMessage(to, marketing), category: 'marketing' };
    const waiting = await call('POST', '/v1/messages/email', { key: apiKey, body: promo });
    assert.deepEqual(waiting.body.channels, [
      { channel: 'email', state: 'scheduled', notBefore: new Date(opensAt).toISOString() },
    ]);
    await acceptedBySandbox({ to });
    const status = await eventually(async () => {
      const body = await statusOf(apiKey, marketing);
      return body?.channels?.[0]?.window ? body : undefined;
    }, 'the marketing message to explain its wait');
    assert.match(status.channels[0].window.explanation, /by category marketing rule 1/);
    assert.equal((await sandboxMessages({ to })).length, 1, 'only the transactional email reached the provider');
    // A category name the schema refuses: 400 naming the field, at the message and at the profile.
    const badMessage = await call('POST', '/v1/messages/email', {
      key: apiKey,
      body: { ...promo, category: 'Promo!' },
    });
    assert.equal(badMessage.status, 400);
    assert.equal(badMessage.body.error.details[0].path, 'category');
    const badProfile = await admin('PUT', `/v1/admin/clients/${clientId}`, {
      name: 'Categories',
      timezone: 'UTC',
      channels: { email: { enabled: true, from: 'noreply@acme.example', categories: { 'Promo!': { window } } } },
    });
    assert.equal(badProfile.status, 400);
    assert.match(badProfile.body.error.details[0].path, /^channels\.email\.categories/);
  });

  it('outside the window with outside=reject, the channel is refused at once: 422', async () => {
    const { window } = windowOpeningLater();
    const { apiKey } = await createEmailClient(emailProfile({ ...window, outside: 'reject' }));
    const response = await call('POST', '/v1/messages/email', { key: apiKey, body: emailMessage('x@example.com') });
    assert.equal(response.status, 422);
    assert.match(response.body.error.details[0].issue, /outside the email window/);
  });

  it('a next opening past maxDefer: 422 when no channel is left, nothing started', async () => {
    const { window } = windowOpeningLater();
    const { apiKey } = await createEmailClient(emailProfile({ ...window, maxDefer: 'PT1H' }));
    const response = await call('POST', '/v1/messages/email', { key: apiKey, body: emailMessage('x@example.com') });
    assert.equal(response.status, 422);
    assert.match(response.body.error.details[0].issue, /later than maxDefer PT1H/);
  });
});
