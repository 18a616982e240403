/** The Debian Chromium of the browser tests (never a downloaded one), headless and quiet. */
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A browser context that reaches only servers on 127.0.0.1 (and `file:` URLs with `files`): any other request is aborted. */
export async function loopbackContext(browser: Browser, options: { files?: boolean } = {}): Promise<BrowserContext> {
  const context = await browser.newContext();
  await context.route(options.files ? /^(?!http:\/\/127\.0\.0\.1:|file:)/ : /^(?!http:\/\/127\.0\.0\.1:)/, (route) => route.abort());
  return context;
}
