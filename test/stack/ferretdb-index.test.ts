import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { deliveryRecordId, deliveryRecordModel } from '../../src/deliveries/models';
import { harness, testEnv } from '../support/harness';
import { testProfile } from '../support/profile';

/**
 * FerretDB answers `explain` with its backend's own plan: SQLite's, one line per step, or PostgreSQL's EXPLAIN
 * (FORMAT JSON) tree. Either reads as text here; the patterns below say which words mean what.
 */
const backend =
  testProfile === 'production'
    ? { name: 'PostgreSQL', byIndex: /"Index Name":"\w+__id__\w*_idx"/, scan: /"Node Type":"Seq Scan"/ }
    : { name: 'SQLite', byIndex: /USING INDEX \S+__id_/, scan: /SCAN/ };

/** Enough documents that PostgreSQL's planner, without statistics yet, prefers an index to reading every page. */
const documents = 3_000;

describe(`the local stack's MongoDB (FerretDB on ${backend.name})`, () => {
  let connection: mongoose.Connection;
  let records: ReturnType<typeof deliveryRecordModel>;
  const planOf = async (filter: Record<string, unknown>) =>
    JSON.stringify(await records.find(filter).explain('queryPlanner'));

  before(async function () {
    this.timeout(120_000);
    await harness();
    connection = await mongoose.createConnection(testEnv.MONGODB_URI!).asPromise();
    records = deliveryRecordModel(connection);
    const probes = Array.from({ length: documents }, (_, i) => ({
      _id: deliveryRecordId('index-probe', `m-${i}`, 'email'),
      clientId: 'index-probe',
      messageId: `m-${i}`,
      requestHash: `h-${i}`,
    }));
    // Straight to the collection: only the _id and one unindexed field matter here, not a whole valid record.
    await connection.db!.collection<{ _id: string }>(records.collection.collectionName).insertMany(probes);
  });
  after(async () => {
    await records?.collection.deleteMany({ clientId: 'index-probe' });
    await connection?.close();
  });

  it('finds a delivery record by its key through the _id index, not by scanning every record', async () => {
    assert.match(await planOf({ _id: deliveryRecordId('index-probe', 'm-1234', 'email') }), backend.byIndex);
    // The contrast that shows the plan is read right: a field without an index is scanned.
    assert.match(await planOf({ requestHash: 'h-1234' }), backend.scan);
  });
});
