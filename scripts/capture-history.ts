import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

/**
 * Saves a workflow's history for test/workflows/replay.test.ts, as protobuf bytes: the SDK's JSON reader
 * trips over the two protobufjs copies this dependency tree holds. Run it on a history encrypted with the
 * replay test's fixture key (see that test), after a change guarded by `patched()`:
 *   npm run history:capture -- <workflowId> <name>
 */
async function main(): Promise<void> {
  const [workflowId, name] = process.argv.slice(2);
  if (!workflowId || !name) throw new Error('usage: capture-history <workflowId> <name>');
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
  try {
    const history = await new Client({ connection }).workflow.getHandle(workflowId).fetchHistory();
    const file = path.join(__dirname, '..', 'test', 'workflows', 'histories', `${name}.pb`);
    fs.writeFileSync(file, temporal.api.history.v1.History.encode(history).finish());
    console.log(`${history.events?.length ?? 0} events written to ${file}`);
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
