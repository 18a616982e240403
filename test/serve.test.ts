/**
 * `statements serve`: the site on 127.0.0.1, rebuilt when a file is saved,
 * the open page (real Chromium) reloaded with the change and showing the
 * build's errors; the script that does it is only in served pages.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { loadConfig } from '../pipeline/config.ts';
import { serveProject, type Preview } from '../pipeline/commands/serve.ts';
import { fixtureProject } from './render-support.ts';
import { crawlSite } from './support/crawl.ts';
import { launchChromium, loopbackContext } from './support/chromium.ts';
import { runCli } from './helpers.ts';

let browser: Browser;
let context: BrowserContext;
let root: string;
let preview: Preview;
const terminal: string[] = [];

beforeAll(async () => {
  root = await fixtureProject();
  await writeFile(path.join(root, 'statements.config.json'), '{}');
  [browser, preview] = await Promise.all([
    launchChromium(),
    serveProject(await loadConfig(root), { port: 0, onBuild: (result) => terminal.push(result.text) }),
  ]);
  context = await loopbackContext(browser);
});
afterAll(async () => {
  await preview?.close();
  await browser?.close();
});

const bundle = () => path.join(root, 'locales', 'fr', 'press-release.json');
async function editBundle(edit: (values: Record<string, string>) => void): Promise<void> {
  const values = JSON.parse(await readFile(bundle(), 'utf8')) as Record<string, string>;
  edit(values);
  await writeFile(bundle(), `${JSON.stringify(values, null, 2)}\n`);
}

describe('statements serve', () => {
  test('a saved locale edit shows in the open page without a restart; an error shows on the page and in the terminal until fixed', async () => {
    expect(preview.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/index\.html$/);
    const page = await context.newPage();
    await page.goto(new URL('fr/press-release/index.html', preview.url).href);
    expect(await page.locator('h1').textContent()).toBe('Mise à jour de sécurité de nos téléphones de bureau');

    await editBundle((values) => (values['meta.title'] = 'Mise à jour corrigée'));
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Mise à jour corrigée', undefined, { timeout: 20_000 });

    // A broken tag: the French page is not built; the open page says why.
    await editBundle((values) => (values['what-happened.on-16-september-two'] = values['what-happened.on-16-september-two']!.replace('<3>', '')));
    const banner = page.locator('#statements-preview[role="alert"]');
    await banner.waitFor({ timeout: 20_000 });
    expect(await banner.textContent()).toMatch(/locales\/fr\/press-release\.json:\d+:\d+ {2}error {2}.* {2}tag-mismatch/);
    expect(terminal.at(-1)).toMatch(/tag-mismatch/);

    await editBundle(
      (values) => (values['what-happened.on-16-september-two'] = values['what-happened.on-16-september-two']!.replace('le rapport', 'le <3>rapport')),
    );
    await page.waitForFunction(
      () => document.querySelector('h1')?.textContent === 'Mise à jour corrigée' && !document.getElementById('statements-preview'),
      undefined,
      {
        timeout: 20_000,
      },
    );
    await page.close();
  });

  test('every link from the printed front door answers 200, and the reload script is in no built file', async () => {
    const crawl = await crawlSite(preview.url, { context });
    expect(crawl.broken).toEqual([]);
    expect(crawl.visited).toContain(new URL('nl/press-release/index.html', preview.url).href);
    const dist = path.join(root, 'dist');
    for (const name of (await readdir(dist, { recursive: true })).map(String).filter((name) => name.endsWith('.html'))) {
      expect(await readFile(path.join(dist, name), 'utf8'), name).not.toContain('EventSource');
    }
  });

  test('a port that is in use is one sentence and exit 1', async () => {
    const run = await runCli(['serve', '--port', new URL(preview.url).port], root);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`✖ Port ${new URL(preview.url).port} on 127.0.0.1 is in use: stop what uses it, or choose another with --port`);
    expect((await runCli(['serve', '--port', 'http'], root)).stderr).toContain('✖ Unexpected --port `http`, expected a port number from 0 to 65535');
  });
});
