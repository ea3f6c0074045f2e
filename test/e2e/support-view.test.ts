import assert from 'node:assert/strict';
import { harness, testCodec } from '../support/harness';
import { historyText } from '../support/history';
import { eventually } from '../support/http';
import { supportFixture, type SupportFixture } from '../support/support-fixture';

interface WorkflowMetadata {
  currentDetails?: string;
}

describe('what support staff see in Temporal (real stack)', () => {
  let fixture: SupportFixture;
  before(async function () {
    this.timeout(120_000);
    fixture = await supportFixture();
  });

  it("a ClientId query finds exactly the client's messages, each with its DeliveryStatus", async function () {
    this.timeout(60_000);
    const { temporal } = await harness();
    const expected = Object.entries(fixture.messages)
      .map(([state, { messageId }]) => `${fixture.workflowId(messageId)} ${state}`)
      .sort();
    await eventually(
      async () => {
        const found: string[] = [];
        for await (const run of temporal.workflow.list({ query: `ClientId = '${fixture.clientId}'` }))
          found.push(`${run.workflowId} ${String(run.searchAttributes.DeliveryStatus?.[0])}`);
        return JSON.stringify(found.sort()) === JSON.stringify(expected) ? found : undefined;
      },
      `visibility to list ${expected.join(', ')}`,
    );
  });

  it('summary, details and current details tell the story without a phone number or a body', async () => {
    const { temporal } = await harness();
    const { messageId, phone, body } = fixture.messages.scheduled;
    const handle = temporal.workflow.getHandle(fixture.workflowId(messageId));
    const description = await handle.describe();
    assert.equal(await description.staticSummary(), `${fixture.clientId} · ${messageId} · sms`);
    const details = (await description.staticDetails()) ?? '';
    assert.match(details, /\*\*Priority\*\* normal/);
    const { currentDetails = '' } = await handle.query<WorkflowMetadata>('__temporal_workflow_metadata');
    assert.match(currentDetails, /\*\*sms\*\* scheduled until \S+Z: .*rule 1/);
    const history = await historyText(handle, testCodec);
    assert.match(history, /sms waits until \S+Z \(rule 1/, 'the timer says what it waits for');
    assert.match(history, /waits for .+ by rule 1/, "acceptance's plan, with its explanation, is in the input");
    for (const text of [(await description.staticSummary()) ?? '', details, currentDetails])
      for (const secret of [phone, body]) assert.ok(!text.includes(secret), `${secret} in ${text}`);
  });

  it("the provider's refusal is readable with the codec and sealed without it", async () => {
    const { temporal } = await harness();
    const handle = temporal.workflow.getHandle(fixture.workflowId(fixture.messages.failed.messageId));
    const decoded = await historyText(handle, testCodec);
    assert.match(decoded, /sms to Twilio/, 'the provider call is named');
    assert.match(decoded, /21211/, 'the provider answer is there for staff');
    const raw = await historyText(handle);
    // Twilio quotes the number in its error message: failure messages must be encrypted too.
    for (const secret of ['15005550001', fixture.messages.failed.body]) assert.ok(!raw.includes(secret), secret);
  });
});
