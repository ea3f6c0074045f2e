import assert from 'node:assert/strict';
import { launchBrowser, pageText, type Browser } from '../support/browser';
import { harness } from '../support/harness';
import { call } from '../support/http';

/** `/docs` in headless Chromium with every request off the API's origin refused, as on a machine without network. */
describe('the API reference page at /docs (Chromium, no network)', () => {
  let browser: Browser;

  before(async function () {
    this.timeout(60_000);
    await harness();
    browser = await launchBrowser();
  });
  after(async () => browser?.close());

  it('shows every operation of /openapi.json and the outgoing webhook, loading nothing from elsewhere', async function () {
    this.timeout(60_000);
    const { api } = await harness();
    const origin = new URL(api.url).origin;
    const refused: string[] = [];
    const page = await browser.context.newPage();
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (new URL(url).origin === origin) return route.continue();
      refused.push(url);
      return route.abort('internetdisconnected');
    });

    await page.goto(`${api.url}/docs`);
    await page.getByText('Send a message on one or more channels').first().waitFor({ timeout: 30_000 });

    const document = (await call('GET', '/openapi.json')).body as {
      paths: Record<string, Record<string, { summary: string }>>;
    };
    const text = await pageText(page);
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({ method, path, summary: operation.summary })),
    );
    assert.ok(operations.length > 20, `only ${operations.length} operations in the document`);
    for (const { method, path, summary } of operations) {
      assert.ok(text.includes(summary), `the page does not show ${method.toUpperCase()} ${path}: "${summary}"`);
      // Swagger UI breaks a path after each slash (a <wbr>), so the page's text of it is compared without them.
      assert.ok(text.replaceAll('<wbr>', '').includes(path), `the page does not show the path ${path}`);
    }
    assert.match(text, /Webhooks/);
    assert.deepEqual(refused, [], 'the page asked for something off the API origin');
    await page.close();
  });
});
