import assert from 'node:assert/strict';
import mongoose, { type Model } from 'mongoose';
import { deliveryRecordId, deliveryRecordModel, type DeliveryRecordDocument } from '../../src/deliveries/models';
import { deliveryRecordStore } from '../../src/deliveries/records';
import { harness, testEnv } from '../support/harness';

let connection: mongoose.Connection;
let records: Model<DeliveryRecordDocument>;

/** FerretDB answers `explain` with SQLite's own query plan, one line per step. */
const planOf = async (filter: Record<string, unknown>) => {
  const explained = (await records.find(filter).explain('queryPlanner')) as unknown as {
    queryPlanner: { Plan: string[] };
  };
  return explained.queryPlanner.Plan.join('\n');
};

describe("the local stack's MongoDB (FerretDB on SQLite)", () => {
  before(async function () {
    this.timeout(60_000);
    await harness();
    connection = await mongoose.createConnection(testEnv.MONGODB_URI!).asPromise();
    records = deliveryRecordModel(connection);
  });
  after(() => connection.close());

  it('finds a delivery record by its key through the _id index, not by scanning every record', async () => {
    const key = { clientId: 'index-probe', messageId: 'm-1' };
    const { writeDeliveryRecord } = deliveryRecordStore(records);
    await writeDeliveryRecord(
      { ...key, requestHash: 'h', acceptedAt: new Date().toISOString(), acceptance: [] },
      { channel: 'email', state: 'sent', attempts: 1, history: [], updatedAt: new Date().toISOString() },
    );
    assert.match(await planOf({ _id: deliveryRecordId(key.clientId, key.messageId, 'email') }), /USING INDEX \S+__id_/);
    // The contrast that shows the plan is read right: a field without an index is scanned.
    assert.match(await planOf({ requestHash: 'h' }), /SCAN/);
  });
});
