import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { uiCodecEndpoint, uiOrigins } from '../../scripts/stack/temporal';
import { inPage, launchBrowser, pageText, type Browser } from '../support/browser';
import { harness, testEnv } from '../support/harness';
import { supportFixture, type SupportFixture } from '../support/support-fixture';

const ui = uiOrigins[0]!;
const namespacePath = `${ui}/namespaces/default/workflows`;

/**
 * The local stack's Temporal Web UI in headless Chromium, as support staff use it: the list filtered by
 * client, a message's page with the codec server (what authorised staff see) and without it.
 */
describe('the Temporal Web UI for support staff (Chromium against the local stack)', () => {
  let browser: Browser;
  let fixture: SupportFixture;
  let codecEndpoint: string;

  before(async function () {
    this.timeout(180_000);
    const { api } = await harness();
    codecEndpoint = `${api.url}/codec`;
    fixture = await supportFixture();
    browser = await launchBrowser();
  });
  after(async () => browser?.close());

  /** A page whose codec server is this deployment's, as staff set it in the UI's codec settings. */
  async function pageWithCodec(codec: 'authorised' | 'unreachable'): Promise<Page> {
    const page = await browser.context.newPage();
    await page.addInitScript({
      content: inPage.storage({
        endpoint: JSON.stringify(codecEndpoint),
        overrideRemoteCodecConfiguration: 'true',
        // The list shows the delivery state as a column next to the workflow ID.
        'namespace-workflow-table-columns': JSON.stringify({
          default: [{ label: 'Status' }, { label: 'Workflow ID' }, { label: 'DeliveryStatus' }],
        }),
      }),
    });
    await page.route(`${codecEndpoint}/**`, (route) =>
      codec === 'authorised'
        ? // Stands in for the sign-in proxy in front of the codec server, which adds the staff's bearer token.
          route.continue({
            headers: { ...route.request().headers(), authorization: `Bearer ${testEnv.CODEC_SERVER_TOKEN}` },
          })
        : route.abort(),
    );
    return page;
  }

  async function openMessage(page: Page, messageId: string): Promise<void> {
    const { temporal } = await harness();
    const workflowId = fixture.workflowId(messageId);
    const { runId } = await temporal.workflow.getHandle(workflowId).describe();
    await page.goto(`${namespacePath}/${encodeURIComponent(workflowId)}/${runId}/history`);
  }

  it("the local stack's Web UI decodes through the codec server of npm run dev", async () => {
    const settings = (await (await fetch(`${ui}/api/v1/settings`)).json()) as { Codec?: { Endpoint?: string } };
    assert.equal(settings.Codec?.Endpoint, uiCodecEndpoint);
  });

  it('filtering by ClientId lists exactly the three messages, each with its state', async function () {
    this.timeout(60_000);
    const page = await pageWithCodec('unreachable');
    const rows = page.getByTestId('workflows-summary-configurable-table-row');
    const query = encodeURIComponent(`ClientId = "${fixture.clientId}"`);
    for (let attempt = 0; (await rows.count()) < 3; attempt++) {
      // Visibility trails the workflows by a moment; the list loads once per visit.
      if (attempt > 10) assert.fail('the list never showed three rows');
      await page.goto(`${namespacePath}?query=${query}`);
      await rows
        .nth(2)
        .waitFor({ timeout: 3_000 })
        .catch(() => undefined);
    }
    assert.equal(await rows.count(), 3);
    for (const [state, { messageId }] of Object.entries(fixture.messages)) {
      const row = rows.filter({ hasText: fixture.workflowId(messageId) });
      assert.equal(await row.count(), 1, `one row for the ${state} message`);
      assert.match(await row.innerText(), new RegExp(`\\b${state}\\b`));
    }
    await page.close();
  });

  it('with the codec server, a message page shows its summary, its state and the decoded body', async function () {
    this.timeout(60_000);
    const page = await pageWithCodec('authorised');
    const { messageId, body } = fixture.messages.scheduled;
    await openMessage(page, messageId);
    await page.getByTestId('input-and-result').getByText(body).first().waitFor({ timeout: 20_000 });
    const summary = `${fixture.clientId} · ${messageId} · sms`;
    await page.getByTestId('event-summary-table').getByText(summary).first().waitFor({ timeout: 20_000 });
    assert.equal(await page.getByTestId('data-encoder-status-success').count(), 1);

    // The User Metadata tab: summary, details and the workflow's live "current details".
    await page.goto(page.url().replace(/\/history$/, '/user-metadata'));
    await page.locator('iframe[title="output"]').nth(1).waitFor({ timeout: 20_000 });
    await assertEventually(async () => /sms\*?\*? scheduled until/.test(await pageText(page)), 'current details');
    await page.close();
  });

  it('without the codec server, no page shows a phone number or a body', async function () {
    this.timeout(90_000);
    for (const { messageId, phone, body } of Object.values(fixture.messages)) {
      const page = await pageWithCodec('unreachable');
      await openMessage(page, messageId);
      await page.getByTestId('data-encoder-status-error').waitFor({ timeout: 20_000 });
      // The input is on the page, as ciphertext: `binary/encrypted`, base64-encoded in its metadata.
      await page.getByTestId('input-and-result').getByText('YmluYXJ5L2VuY3J5cHRlZA==').first().waitFor();
      const text = await pageText(page);
      for (const secret of [phone, phone.slice(1), body]) assert.ok(!text.includes(secret), `${secret} on the page`);
      await page.close();
    }
  });
});

async function assertEventually(probe: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) assert.fail(`${what} never appeared`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
