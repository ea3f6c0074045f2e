import assert from 'node:assert/strict';
import { admin, call, eventually, type JsonResponse } from '../support/http';
import { createEmailClient, createClient, emailChannel, emailMessage, uniqueId } from '../support/clients';
import { assertErrorShape } from '../support/errors';

const everyDay = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
/** A UTC window twelve hours away: every message of the client waits, scheduled, for the whole test. */
const waitingProfile = () => {
  const opensAt = Date.now() + 12 * 3_600_000;
  return {
    timezone: 'UTC',
    channels: {
      email: {
        ...emailChannel.email,
        window: { rules: [{ days: everyDay, from: hhmm(opensAt), to: hhmm(opensAt + 3_600_000) }] },
      },
    },
  };
};

const send = async (apiKey: string, messageId: string) => {
  const response = await call('POST', '/v1/messages/email', {
    key: apiKey,
    body: emailMessage(`${messageId}@example.com`, messageId),
  });
  assert.equal(response.status, 202, JSON.stringify(response.body));
};

const list = (key: string, query: string) => call('GET', `/v1/messages?${query}`, { key });

/** Every page of a listing, `between` run after each page but the last. */
async function allPages(
  fetchPage: (cursor?: string) => Promise<JsonResponse>,
  between: () => Promise<void> = () => Promise.resolve(),
) {
  const items: any[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const page = await fetchPage(cursor);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    items.push(...page.body.items);
    if (page.body.nextCursor === null) return items;
    cursor = page.body.nextCursor;
    await between();
  }
  throw new Error('the listing did not end');
}

describe('listings', () => {
  it('pages a client’s messages, waiting ones included, stably while new ones arrive, and never another client’s', async function () {
    this.timeout(120_000);
    const a = await createClient('list-a', waitingProfile());
    const b = await createEmailClient();
    const initial = Array.from({ length: 12 }, (_, i) => `m-${String(i).padStart(2, '0')}-${uniqueId('x')}`);
    for (const id of initial) await send(a.apiKey, id);
    for (let i = 0; i < 3; i++) await send(b.apiKey, uniqueId('b'));

    let added = 0;
    // Inserted while paging, with ids that sort before, among and after the pages already read.
    const insertSome = async () => {
      for (const prefix of ['a', 'm-05', 'z']) await send(a.apiKey, `${prefix}-${uniqueId('late')}-${added++}`);
    };
    const items = await allPages(
      (cursor) => list(a.apiKey, `limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
      insertSome,
    );
    assert.ok(added >= 6, 'messages arrived while paging');

    const ids = items.map((item) => item.messageId);
    assert.equal(new Set(ids).size, ids.length, 'no message listed twice');
    for (const id of initial) assert.ok(ids.includes(id), `${id} was listed`);
    for (const item of items) {
      assert.equal(item.channel, 'email');
      assert.equal(item.state, 'scheduled', 'a message waiting for its window is listed as scheduled');
      assert.ok(item.notBefore);
      assert.match(item.workflowId, new RegExp(`^msg:${a.clientId}:`));
    }
    const bIds = (
      await allPages((cursor) => list(b.apiKey, `limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`))
    ).map((i) => i.messageId);
    assert.equal(bIds.length, 3);
    for (const id of bIds) assert.ok(!ids.includes(id), 'A never sees B’s messages');

    const filtered = await list(a.apiKey, 'state=sent');
    assert.equal(filtered.status, 200);
    assert.deepEqual(filtered.body.items, []);
  });

  it('refuses a forged cursor, another client’s, and one reused with other filters, in the error shape', async () => {
    const a = await createClient('list-c', waitingProfile());
    const b = await createClient('list-d', waitingProfile());
    for (let i = 0; i < 3; i++) {
      await send(a.apiKey, uniqueId('c'));
      await send(b.apiKey, uniqueId('d'));
    }
    const first = await list(a.apiKey, 'limit=1');
    const cursor: string = first.body.nextCursor;
    assert.ok(cursor);
    assert.equal((await list(a.apiKey, `limit=1&cursor=${encodeURIComponent(cursor)}`)).status, 200);

    const [body = '', tag = ''] = cursor.split('.');
    const forgedBody = Buffer.from(`${b.clientId}/zzz/email`).toString('base64url');
    const tampered = `${body}.${tag.slice(0, -2)}${tag.endsWith('AA') ? 'BB' : 'AA'}`;
    const bCursor: string = (await list(b.apiKey, 'limit=1')).body.nextCursor;
    for (const [key, bad] of [
      [a.apiKey, `${forgedBody}.${tag}`],
      [a.apiKey, tampered],
      [a.apiKey, 'not-a-cursor'],
      [a.apiKey, bCursor],
      [b.apiKey, cursor],
    ] as const) {
      const refused = await list(key, `limit=1&cursor=${encodeURIComponent(bad)}`);
      assert.equal(refused.status, 400, bad);
      assertErrorShape(refused.body, 'invalid_request');
      assert.equal(refused.body.error.details[0].path, 'cursor');
    }
    const otherFilter = await list(a.apiKey, `limit=1&channel=email&cursor=${encodeURIComponent(cursor)}`);
    assert.equal(otherFilter.status, 400);
    assertErrorShape(otherFilter.body, 'invalid_request');
  });

  it('validates the query parameters at the edge', async () => {
    const { apiKey } = await createEmailClient();
    for (const bad of [
      'limit=0',
      'limit=101',
      'limit=ten',
      'state=lost',
      'since=yesterday',
      'colour=red',
      'limit=1&limit=2',
    ]) {
      const refused = await list(apiKey, bad);
      assert.equal(refused.status, 400, bad);
      assertErrorShape(refused.body, 'invalid_request');
    }
    assert.equal((await call('GET', '/v1/messages')).status, 401);
  });

  it('lists every client to the admin, page by page in clientId order', async () => {
    const created: string[] = [];
    for (let i = 0; i < 3; i++) created.push((await createEmailClient()).clientId);
    const items = await allPages((cursor) =>
      admin('GET', `/v1/admin/clients?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
    );
    const ids = items.map((item) => item.clientId);
    assert.deepEqual(ids, [...ids].sort(), 'clientId order');
    assert.equal(new Set(ids).size, ids.length);
    for (const id of created) assert.equal(ids.filter((x) => x === id).length, 1, `${id} listed once`);
    const one = items.find((item) => item.clientId === created[0]);
    assert.equal(one.name, `Test ${created[0]}`);
    assert.equal(one.revision, 1);
    const clientKey = (await createEmailClient()).apiKey;
    assert.equal((await call('GET', '/v1/admin/clients', { key: clientKey })).status, 401);
    assert.equal((await admin('GET', '/v1/admin/clients?cursor=forged.cursor')).status, 400);
  });

  it('lists a client’s keys with their metadata only, lastUsedAt written at most once a minute', async () => {
    const { clientId, apiKey, keyId } = await createEmailClient();
    const second = await admin('POST', `/v1/admin/clients/${clientId}/keys`);
    assert.equal((await admin('DELETE', `/v1/admin/clients/${clientId}/keys/${second.body.keyId}`)).status, 204);
    assert.equal((await list(apiKey, 'limit=1')).status, 200);

    const listed = await eventually(async () => {
      const response = await admin('GET', `/v1/admin/clients/${clientId}/keys`);
      return response.body.items.find((k: any) => k.keyId === keyId)?.lastUsedAt ? response : undefined;
    }, 'lastUsedAt of the used key');
    const text = JSON.stringify(listed.body);
    assert.ok(!text.includes(apiKey.split('_')[2]!), 'no secret');
    assert.doesNotMatch(text, /secret|hash/i);
    const [used, revoked] = listed.body.items;
    assert.deepEqual(Object.keys(used).sort(), ['createdAt', 'keyId', 'lastUsedAt']);
    assert.equal(revoked.keyId, second.body.keyId);
    assert.ok(revoked.revokedAt);
    assert.equal(revoked.lastUsedAt, undefined);

    // Past the acceptance cache (1 s), the key is looked up again, and within the minute nothing is written.
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal((await list(apiKey, 'limit=1')).status, 200);
    await new Promise((r) => setTimeout(r, 500));
    const again = await admin('GET', `/v1/admin/clients/${clientId}/keys`);
    assert.equal(again.body.items[0].lastUsedAt, used.lastUsedAt);

    assert.equal((await admin('GET', `/v1/admin/clients/${uniqueId('nobody')}/keys`)).status, 404);
  });
});
