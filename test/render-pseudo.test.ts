/**
 * Locales that are not published (the pseudo-locale `en-XA` unless
 * `translation.publishPseudo`): built into `dist/` for previewing, never
 * linked from the published site, and left out by publish.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../pipeline/config.ts';
import { extractProject } from '../pipeline/commands/extract.ts';
import { publishProject } from '../pipeline/commands/publish.ts';
import { formatReport } from '../pipeline/diagnostics.ts';
import { MANIFEST_KEY, parseManifest } from '../pipeline/publish/manifest.ts';
import { listFiles } from '../pipeline/publish/site.ts';
import { attributes, build, distFiles, fixtureProject, read } from './render-support.ts';

const slug = 'press-release';
const PUBLISHED = ['nl', 'fr', 'en'];

/** The render fixture with the pseudo-locale configured, extracted and built. */
async function pseudoSite(translation: Record<string, unknown> = { pseudoLocale: 'en-XA' }) {
  const root = await fixtureProject();
  await configure(root, translation);
  await extractProject(await loadConfig(root));
  const report = await build(root);
  return { root, report };
}

const configure = (root: string, translation: Record<string, unknown>) =>
  writeFile(path.join(root, 'statements.config.json'), JSON.stringify({ site: { baseUrl: 'https://press.example.com/' }, translation }));

const publishTo = async (root: string, more: { delete?: boolean } = {}) =>
  publishProject(await loadConfig(root), { build: false, check: false, env: {}, overrides: { target: 'public', ...more } });

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
});

/** The links (`selector`, default every `<a href>` and `<link href>`) of a built page as Chromium resolves them, with their hreflang. */
async function links(root: string, key: string, selector = 'a[href], link[href]'): Promise<Array<{ tag: string; href: string; hreflang: string | null }>> {
  await page.goto(pathToFileURL(path.join(root, 'dist', key)).href);
  return page.$$eval(selector, (elements) =>
    elements.map((element) => ({ tag: element.localName, href: (element as HTMLAnchorElement).href, hreflang: element.getAttribute('hreflang') })),
  );
}

describe('an unpublished pseudo-locale', () => {
  let root: string;

  beforeAll(async () => {
    const site = await pseudoSite();
    root = site.root;
    expect(formatReport(site.report.diagnostics.files, root)).toBe('');
  });

  it('is built for previewing: its pages, PDFs, index and feed are in dist/', async () => {
    const files = await distFiles(root);
    expect(files).toEqual(
      expect.arrayContaining([
        `en-XA/${slug}/index.html`,
        `en-XA/${slug}/${slug}-en-XA.pdf`,
        `en-XA/${slug}/${slug}-en-XA.md`,
        'en-XA/index.html',
        'en-XA/feed.xml',
      ]),
    );
    expect(await read(root, `en-XA/${slug}/index.html`)).toContain('<html lang="en-XA">');
  });

  it('gets no link from a published page: no hreflang alternate, not in the language switcher, the chooser or the indexes', async () => {
    for (const key of ['index.html', ...PUBLISHED.flatMap((locale) => [`${locale}/index.html`, `${locale}/${slug}/index.html`])]) {
      const found = await links(root, key);
      expect(found.length, key).toBeGreaterThan(0);
      expect(
        found.filter((link) => link.href.includes('/en-XA/') || link.hreflang === 'en-XA'),
        key,
      ).toEqual([]);
    }
    // The published languages still link to each other.
    const alternates = (await links(root, `nl/${slug}/index.html`)).filter((link) => link.tag === 'link' && link.hreflang);
    expect(alternates.map((link) => link.hreflang)).toEqual([...PUBLISHED, 'x-default']);
    expect((await links(root, 'index.html', 'ul.choose a')).map((link) => link.hreflang)).toEqual(PUBLISHED);
    expect((await links(root, `en/${slug}/index.html`, 'nav.languages a')).map((link) => link.hreflang)).toEqual(['nl', 'fr']);
  });

  it('is in no feed or page of a published locale', async () => {
    for (const key of (await distFiles(root)).filter((file) => !file.startsWith('en-XA/') && /\.(html|xml)$/.test(file))) {
      expect(await read(root, key), key).not.toContain('en-XA');
    }
  });

  it('links its own preview pages to the published versions, so a reviewer can compare', async () => {
    const switcher = await links(root, `en-XA/${slug}/index.html`, 'nav.languages a');
    expect(switcher.map((link) => link.hreflang)).toEqual(PUBLISHED);
    for (const link of switcher) expect(link.href).toBe(pathToFileURL(path.join(root, 'dist', link.hreflang!, slug, 'index.html')).href);
    expect(attributes(await read(root, `en-XA/${slug}/index.html`), 'link', 'hreflang')).toEqual([...PUBLISHED, 'en-XA', 'x-default']);
  });

  it('is left out by publish, reported apart from leftovers', async () => {
    const report = await publishTo(root);
    expect(report.leftovers).toEqual([]);
    expect(report.unpublished).toEqual((await distFiles(root)).filter((key) => key.startsWith('en-XA/')));
    const published = await listFiles(path.join(root, 'public'));
    expect(published.filter((key) => key.startsWith('en-XA/'))).toEqual([]);
    expect(published).toContain(`nl/${slug}/index.html`);
    const manifest = parseManifest(await readFile(path.join(root, 'public', MANIFEST_KEY), 'utf8'))!;
    expect(Object.keys(manifest.objects).filter((key) => key.includes('en-XA'))).toEqual([]);
    expect(report.urls.map((url) => url.locale)).not.toContain('en-XA');
  });
});

describe('translation.publishPseudo', () => {
  it('links and publishes the pseudo-locale like any other; turned off again, the next build unlinks it and --delete removes it', async () => {
    const { root } = await pseudoSite({ pseudoLocale: 'en-XA', publishPseudo: true });
    expect(attributes(await read(root, `nl/${slug}/index.html`), 'link', 'hreflang')).toEqual([...PUBLISHED, 'en-XA', 'x-default']);
    expect(attributes(await read(root, 'index.html'), 'a', 'hreflang')).toEqual([...PUBLISHED, 'en-XA']);
    const first = await publishTo(root);
    expect(first.unpublished).toEqual([]);
    expect(await listFiles(path.join(root, 'public'))).toContain(`en-XA/${slug}/index.html`);

    await configure(root, { pseudoLocale: 'en-XA' });
    await build(root);
    expect(await read(root, `nl/${slug}/index.html`)).not.toContain('en-XA');
    const second = await publishTo(root, { delete: true });
    expect(second.unpublished).toEqual((await distFiles(root)).filter((key) => key.startsWith('en-XA/')));
    expect(second.result?.deleted.filter((key) => key.startsWith('en-XA/')).sort()).toEqual(second.unpublished);
    expect((await listFiles(path.join(root, 'public'))).filter((key) => key.startsWith('en-XA/'))).toEqual([]);
  });
});
