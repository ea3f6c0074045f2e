import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (installed by .ci/run); Playwright's own browser download needs the internet. */
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Without the background-networking flags Chromium keeps calling Google's hosts, which this network refuses. */
const quietFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Page-side code as source text: the project compiles without the DOM's types. */
export const inPage = {
  bodyText: 'document.body ? document.body.innerText : ""',
  /** Sets localStorage entries before the page's own scripts run. */
  storage: (entries: Record<string, string>) =>
    Object.entries(entries)
      .map(([key, value]) => `localStorage.setItem(${JSON.stringify(key)}, ${JSON.stringify(value)});`)
      .join('\n'),
};

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Headless Chromium with a profile of its own, removed on close. */
export async function launchBrowser(): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'comms-browser-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: quietFlags,
    viewport: { width: 1600, height: 1000 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Everything a person could read on the page: its HTML and the text of every frame (the UI renders Markdown in iframes). */
export async function pageText(page: Page): Promise<string> {
  const frames = await Promise.all(
    page.frames().map((frame) => frame.evaluate<string>(inPage.bodyText).catch(() => '')),
  );
  return [await page.content(), ...frames].join('\n');
}
