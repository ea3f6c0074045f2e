import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import type { Ack } from '../../src/acks/ack';
import { openDatabase } from '../../src/db/mongo';
import { retentionIndexName } from '../../src/deliveries/retention';
import { maskAddressesIn } from '../../src/logging/mask-text';
import { startWorkers } from '../../src/worker/main';
import { createSmsClient, uniqueId } from '../support/clients';
import { harness, testEnv, testWorkflowBundle } from '../support/harness';
import { call, eventually } from '../support/http';
import { collectTopic } from '../support/kafka';
import { finalStatus } from '../support/messages';

const day = 86_400_000;

describe('data lifecycle', () => {
  let db: mongoose.Connection;
  before(async () => {
    await harness();
    db = await mongoose.createConnection(testEnv.MONGODB_URI!).asPromise();
  });
  after(() => db.close());
  const records = () => db.collection<{ _id: string }>('delivery_records');

  it('records unchanged for longer than DELIVERY_RECORD_RETENTION disappear; younger ones stay', async function () {
    this.timeout(120_000);
    const clientId = uniqueId('retention');
    const record = (messageId: string, ageMs: number) => ({
      _id: `${clientId}/${messageId}/email`,
      clientId,
      messageId,
      channel: 'email',
      state: 'sent',
      acceptedAt: new Date(Date.now() - ageMs),
      updatedAt: new Date(Date.now() - ageMs),
    });
    // Written as a record of long ago would be: straight into the collection, past mongoose's timestamps.
    await records().insertMany([record('old-1', 3 * day), record('old-2', 2 * day), record('young', day / 2)]);
    const workers = await startWorkers(
      {
        ...testEnv,
        WORKER_ROLES: 'workflows',
        TEMPORAL_TASK_QUEUE: uniqueId('retention-queue'),
        DELIVERY_RECORD_RETENTION: 'P1D',
      },
      await testWorkflowBundle(),
    );
    try {
      await eventually(
        async () => ((await records().countDocuments({ clientId })) === 1 ? true : undefined),
        'the old records to be purged',
        90_000,
      );
      assert.deepEqual(
        (await records().find({ clientId }).toArray()).map((r) => r._id),
        [`${clientId}/young/email`],
      );
      // FerretDB 1.24 has no TTL index ("not implemented"), so the worker purges; a MongoDB would hold the index.
      const ttl = (await records().indexes()).find((index) => index.name === retentionIndexName);
      const server = await db.db!.admin().command({ buildInfo: 1 });
      if ('ferretdbVersion' in server) assert.equal(ttl, undefined);
      else assert.equal(ttl?.expireAfterSeconds, 86_400);
    } finally {
      await workers.stop();
    }
  });

  it('an index an operator added survives the next start, which still creates ours', async () => {
    const first = await openDatabase(testEnv.MONGODB_URI!);
    await first.close();
    await records().createIndex({ 'accepted.state': 1 }, { name: 'operator_added' });
    const again = await openDatabase(testEnv.MONGODB_URI!);
    await again.close();
    const names = (await records().indexes()).map((index) => index.name);
    assert.ok(names.includes('operator_added'), names.join(', '));
    assert.ok(names.includes('listing_by_state'), names.join(', '));
    await records().dropIndex('operator_added');
  });

  it("a Twilio 'invalid number' error is stored and acknowledged with the number masked", async function () {
    this.timeout(90_000);
    const acks = await collectTopic<Ack>(testEnv.KAFKA_ACK_TOPIC ?? 'channels.acks');
    try {
      const { clientId, apiKey } = await createSmsClient();
      const messageId = uniqueId('masked');
      const number = '+15005550001'; // the sandbox quotes it: "The 'To' number +15005550001 is not a valid phone number."
      const sent = await call('POST', '/v1/messages/sms', {
        key: apiKey,
        body: { messageId, recipient: { phone: number }, content: { sms: { body: 'Hello' } } },
      });
      assert.equal(sent.status, 202);
      const status = await finalStatus(apiKey, messageId);
      const stored = await records().findOne({ _id: `${clientId}/${messageId}/sms` });
      const ack = await eventually(
        () => Promise.resolve(acks.values.find((a) => a.messageId === messageId)),
        'the ack',
      );
      for (const [where, text] of [
        ['status', status.channels[0].lastError],
        ['record', (stored as { lastError?: string } | null)?.lastError],
        ['ack', ack.error],
      ] as const) {
        assert.match(String(text), /21211.*\+15005\*\*\*001 is not a valid phone number/, where);
        assert.ok(!String(text).includes(number), `${where}: ${text}`);
      }
    } finally {
      await acks.stop();
    }
  });

  it('masks phone numbers, emails and device tokens in free text, and leaves codes and ids alone', () => {
    const token = `${'f'.repeat(22)}:APA91b${'x'.repeat(40)}`;
    const masked = maskAddressesIn(
      `Twilio 400 error 21211: The 'To' number +972501234567 is not valid; dana@example.com bounced; token ${token}; SM${'a'.repeat(32)} at 1700000000000`,
    );
    assert.equal(
      masked,
      `Twilio 400 error 21211: The 'To' number +97250****567 is not valid; d***@example.com bounced; token ***xxxxxx; SM${'a'.repeat(32)} at 1700000000000`,
    );
  });
});
