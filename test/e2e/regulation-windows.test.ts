import assert from 'node:assert/strict';
import { harness } from '../support/harness';
import { admin, call, eventually } from '../support/http';
import { createSmsClient, smsChannel, uniqueId } from '../support/clients';

const HOUR = 3_600_000;

/**
 * A fixed-offset zone where it is now between 03:00 and 04:00, so TCPA's 08:00 is four to five hours away
 * whatever time the suite runs. Etc/GMT names count the other way round: Etc/GMT-9 is UTC+9.
 */
function zoneAtThreeInTheMorning() {
  const now = Date.now();
  let offset = (((3 - new Date(now).getUTCHours()) % 24) + 24) % 24;
  if (offset > 14) offset -= 24;
  const zone = offset === 0 ? 'Etc/GMT' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
  // 08:00 of the local day that began at local midnight: the instant's own arithmetic, not the planner's.
  const localMidnight = Math.floor((now + offset * HOUR) / (24 * HOUR)) * 24 * HOUR - offset * HOUR;
  return { zone, at: (hour: number) => new Date(localMidnight + hour * HOUR).toISOString() };
}

const marketingWindow = (window: Record<string, unknown>) => ({
  sms: { ...smsChannel.sms, categories: { marketing: { window } } },
});

const sms = (messageId: string, zone: string, category?: string) => ({
  messageId,
  ...(category ? { category } : {}),
  recipient: { phone: '+13125550142', timezone: zone },
  content: { sms: { body: 'Autumn offer' } },
});

async function statusOf(apiKey: string, messageId: string) {
  return (await call('GET', `/v1/messages/${messageId}`, { key: apiKey })).body;
}

describe('regulation presets on the real stack (issue 18)', () => {
  it("a marketing SMS at 03:00 recipient time waits for TCPA's 08:00 there; a transactional one goes at once", async function () {
    this.timeout(60_000);
    const { zone, at } = zoneAtThreeInTheMorning();
    const { apiKey } = await createSmsClient({ channels: marketingWindow({ presets: ['us-tcpa'] }) });
    const [promo, code] = [uniqueId('promo'), uniqueId('code')];

    const waiting = await call('POST', '/v1/messages/sms', { key: apiKey, body: sms(promo, zone, 'marketing') });
    assert.equal(waiting.status, 202, JSON.stringify(waiting.body));
    assert.deepEqual(waiting.body.channels, [{ channel: 'sms', state: 'scheduled', notBefore: at(8) }]);
    const sent = await call('POST', '/v1/messages/sms', { key: apiKey, body: sms(code, zone) });
    assert.equal(sent.status, 202, JSON.stringify(sent.body));

    await eventually(async () => {
      const state = (await statusOf(apiKey, code))?.state;
      return state === 'sent' || state === 'delivered' ? true : undefined;
    }, 'the transactional SMS to be sent');
    const status = await statusOf(apiKey, promo);
    assert.equal(status.state, 'scheduled');
    const { window } = status.channels[0];
    assert.equal(window.layer, 'preset us-tcpa');
    assert.equal(window.zone, zone);
    assert.match(window.explanation, /08:00 .* by preset us-tcpa rule 1: .*08:00–21:00/);
    assert.doesNotMatch(JSON.stringify(status), /5550142/, 'no full number in the status');
  });

  it('a profile change that adds a preset re-plans a waiting marketing SMS to the later opening', async function () {
    this.timeout(60_000);
    const { zone, at } = zoneAtThreeInTheMorning();
    // The category's own window opens at 04:00 on the recipient's clock and runs to noon.
    const rules = [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '04:00', to: '12:00' }];
    const { clientId, apiKey } = await createSmsClient({ timezone: zone, channels: marketingWindow({ rules }) });
    const promo = uniqueId('promo');
    const accepted = await call('POST', '/v1/messages/sms', { key: apiKey, body: sms(promo, zone, 'marketing') });
    assert.deepEqual(accepted.body.channels, [{ channel: 'sms', state: 'scheduled', notBefore: at(4) }]);

    const { temporal } = await harness();
    await eventually(async () => {
      for await (const _ of temporal.workflow.list({
        query: `ClientId = '${clientId}' AND ExecutionStatus = 'Running'`,
      }))
        return true;
      return undefined;
    }, 'the workflow to be visible to the re-plan');
    const changed = await admin('PUT', `/v1/admin/clients/${clientId}`, {
      name: 'Presets',
      timezone: zone,
      channels: marketingWindow({ rules, presets: ['us-tcpa'] }),
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));

    const replanned = await eventually(async () => {
      const body = await statusOf(apiKey, promo);
      return body?.channels?.[0]?.notBefore === at(8) ? body : undefined;
    }, 'the wait to move to 08:00');
    assert.equal(replanned.state, 'scheduled');
    assert.equal(replanned.channels[0].window.layer, 'preset us-tcpa');
  });
});
