import assert from 'node:assert/strict';
import { emailBatch, runPrefix, type EmailMessage } from '../../scripts/load/batches';
import { mapAtRate } from '../../scripts/load/send';
import type { StackServer } from '../../scripts/stack/server';
import { createEmailClient } from '../support/clients';
import { assertDeliveredExactlyOnce } from '../support/exactly-once';
import { harness } from '../support/harness';
import { loadDeployment } from '../support/load';
import { profileParts } from '../support/profile';
import { restartStackServer } from '../support/stack-restart';

const size = 300;

interface Answer {
  message: EmailMessage;
  status: number;
  code?: string;
  retryAfter: string | null;
}

/** One send as a client sees it: status, the error code of the body, and Retry-After. */
async function send(apiUrl: string, apiKey: string, message: EmailMessage): Promise<Answer> {
  const response = await fetch(`${apiUrl}/v1/messages/email`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(message),
    signal: AbortSignal.timeout(120_000),
  });
  const body = (await response.json()) as { error?: { code?: string } };
  return { message, status: response.status, code: body.error?.code, retryAfter: response.headers.get('retry-after') };
}

/**
 * What a client honouring Retry-After does with 503s: waits, sends them again, and repeats for those refused
 * again (the API's driver may still be reconnecting when the server is back). Gives up after a minute.
 */
async function resendRefused(apiUrl: string, apiKey: string, refused: Answer[]): Promise<Answer[]> {
  const answered: Answer[] = [];
  let pending = refused;
  for (let round = 0; pending.length > 0 && round < 12; round++) {
    await new Promise((r) => setTimeout(r, Number(pending[0]!.retryAfter) * 1000));
    const answers: Answer[] = [];
    for (const a of pending) answers.push(await send(apiUrl, apiKey, a.message));
    answered.push(...answers.filter((a) => a.status !== 503));
    pending = answers.filter((a) => a.status === 503);
  }
  return [...answered, ...pending];
}

/**
 * A provider call the stopping Temporal server never recorded as done is made again when it returns (as in the
 * Temporal restart fault): counted, a handful allowed. A database outage repeats none.
 */
const outages: [string, StackServer, string, number][] = [
  ['MongoDB (FerretDB)', profileParts.mongodb, 'mongodb_unavailable', 0],
  ['Temporal', profileParts.temporal, 'temporal_unavailable', 20],
];

for (const [dependency, server, code, repeatsAllowed] of outages) {
  describe(`fault: ${dependency} down for 15 s while ${size} emails are sent`, () => {
    let deployment: Awaited<ReturnType<typeof loadDeployment>> | undefined;
    after(async () => deployment?.stop());

    it(`answers 202 or 503 ${code} with Retry-After, never 500; a 503 starts nothing, and its retry is delivered once`, async function () {
      this.timeout(900_000);
      // No acceptance cache: every request reads the database, as the first request for a key does.
      deployment = await loadDeployment({ ACCEPTANCE_CACHE_MS: '0' });
      const { url } = deployment.api;
      const { clientId, apiKey } = await createEmailClient();
      const batch = emailBatch(runPrefix(`outage-${server.name.replace(/\W/g, '-')}`), size, 'faults.example');

      // 10 a second for 30 s; the server goes down 5 s in and comes back 15 s later, its data kept.
      const outage = new Promise((r) => setTimeout(r, 5_000)).then(() => restartStackServer(server, 15_000));
      const { results } = await mapAtRate(batch.messages, 10, (m) => send(url, apiKey, m));
      await outage;

      const byStatus: Record<string, number> = {};
      for (const a of results) byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;
      console.log(`      ${dependency} down 15 s: ${JSON.stringify(byStatus)}`);
      const unexpected = results.filter((a) => a.status !== 202 && a.status !== 503);
      assert.deepEqual(
        unexpected.map((a) => `${a.status} ${a.code}`),
        [],
        JSON.stringify(byStatus),
      );
      const refused = results.filter((a) => a.status === 503);
      for (const a of refused) {
        assert.equal(a.code, code);
        assert.equal(a.retryAfter, '5');
      }

      const { temporal } = await harness();
      const started = async (messageId: string) =>
        (await temporal.workflow.count(`ClientId = '${clientId}' AND MessageId = '${messageId}'`)).count;
      for (const a of refused)
        assert.equal(await started(a.message.messageId), 0, `${a.message.messageId} was started`);

      const resent = await resendRefused(url, apiKey, refused);
      assert.deepEqual(
        resent.filter((a) => a.status !== 202).map((a) => `${a.status} ${a.code}`),
        [],
      );
      await assertDeliveredExactlyOnce(clientId, batch, {
        repeatsAllowed,
        summary: () => `${refused.length} refused with 503 and retried`,
      });
    });
  });
}
