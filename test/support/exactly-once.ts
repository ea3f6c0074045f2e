import assert from 'node:assert/strict';
import type { EmailBatch } from '../../scripts/load/batches';
import { waitForCompleted } from '../../scripts/load/completion';
import { harness } from './harness';
import { sandbox } from './sandbox';

/** How long a fault test's 1,000 messages may take to finish once the fault is over. */
const completionTimeoutMs = 600_000;

/** Waits until `expected` workflows of the client have completed. */
export async function allCompleted(clientId: string, expected: number): Promise<void> {
  await waitForCompleted((await harness()).temporal, clientId, expected, { timeoutMs: completionTimeoutMs });
}

/** What the sandbox received for the batch: recipients never accepted, extra acceptances, refusals. */
export const auditBatch = (batch: EmailBatch) =>
  sandbox.audit(
    'email',
    batch.prefix,
    batch.messages.map((m) => m.recipient.email),
  );

/** How many workflows of the client ended in each `DeliveryStatus`. */
async function deliveryStatusCounts(clientId: string): Promise<Record<string, number>> {
  const { temporal } = await harness();
  const counts: Record<string, number> = {};
  for await (const run of temporal.workflow.list({ query: `ClientId = '${clientId}'` })) {
    const state = String(run.searchAttributes.DeliveryStatus?.[0]);
    counts[state] = (counts[state] ?? 0) + 1;
  }
  return counts;
}

export interface ExactlyOnceOptions {
  /**
   * Provider calls that may be made twice: one the provider took just as the worker or server running it went
   * away is retried, since nothing recorded it. By default none may be.
   */
  repeatsAllowed?: number;
  /** What the fault did, read once every workflow completed: it leads the line the test prints. */
  summary?: () => string | Promise<string>;
}

/**
 * Every message of the batch delivered exactly once: all of the client's workflows completed, the sandbox
 * accepted an email for every recipient and none twice (beyond `repeatsAllowed`), and every workflow ended `sent`.
 */
export async function assertDeliveredExactlyOnce(
  clientId: string,
  batch: EmailBatch,
  options: ExactlyOnceOptions = {},
): Promise<void> {
  const size = batch.messages.length;
  const repeatsAllowed = options.repeatsAllowed ?? 0;
  await allCompleted(clientId, size);
  const audit = await auditBatch(batch);
  if (options.summary)
    console.log(`      ${await options.summary()}: ${audit.duplicates} repeated, ${audit.missing.length} missing`);
  assert.deepEqual(audit.missing, []);
  if (repeatsAllowed === 0) assert.equal(audit.duplicates, 0);
  assert.deepEqual(await deliveryStatusCounts(clientId), { sent: size });
  if (repeatsAllowed > 0) assert.ok(audit.duplicates <= repeatsAllowed, `${audit.duplicates} repeated provider calls`);
}
