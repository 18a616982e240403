/**
 * URLs that open everywhere: a crawler (test/support/crawl.ts) starts at the
 * printed front door and follows every link and every printed URL, on a
 * plain bucket over path-style REST (s3rver, no website hosting), at
 * `file://` of the local publish folder, and on a host with index documents.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { runCli } from './helpers.ts';
import { build, fixtureProject } from './render-support.ts';
import { createBucket, useS3 } from './setup/publish.ts';
import { crawlSite } from './support/crawl.ts';
import { launchChromium, loopbackContext } from './support/chromium.ts';
import { staticHost } from './support/static-host.ts';

const s3 = useS3();
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  browser = await launchChromium();
  context = await loopbackContext(browser, { files: true });
});
afterAll(() => browser?.close());

/** The render fixture with `site` settings of its own. */
async function project(site: Record<string, unknown>): Promise<string> {
  const root = await fixtureProject();
  await writeFile(path.join(root, 'statements.config.json'), JSON.stringify({ site }));
  return root;
}

/** Every URL a command printed, and the front door (`site  URL`). */
function printed(stdout: string): { home: string; urls: string[] } {
  const urls = [...stdout.matchAll(/\b(?:https?|file):\/\/\S+/g)].map((match) => match[0]);
  return { home: /^site\s+(\S+)$/m.exec(stdout)![1]!, urls };
}

const PAGES = ['nl', 'fr', 'en'].flatMap((locale) => [`${locale}/press-release/index.html`, `${locale}/earlier-statement/index.html`]);

describe('links and printed URLs', () => {
  test('open on a plain bucket over path-style REST: every link, alternate, feed entry and printed URL answers 200 from the root on', async () => {
    const bucket = await createBucket(s3.reader, 'links');
    const base = `${s3.endpoint}/${bucket}/site/`;
    const root = await project({ baseUrl: base });
    const run = await runCli(['publish', '--target', `s3://${bucket}/site`, '--endpoint', s3.endpoint, '--path-style'], root);
    expect(run.code, run.stderr).toBe(0);
    const { home, urls } = printed(run.stdout);
    expect(home).toBe(`${base}index.html`);
    expect(urls).toEqual(expect.arrayContaining(PAGES.map((page) => base + page)));
    const crawl = await crawlSite(home, { context, also: urls });
    expect(crawl.broken).toEqual([]);
    // Pages, PDFs, Markdown, images and feeds were all reached.
    expect(crawl.visited).toEqual(
      expect.arrayContaining([...PAGES, 'nl/feed.xml', 'fr/press-release/press-release-fr.pdf', 'fr/press-release/phone.png'].map((key) => base + key)),
    );
  });

  test('open at file:// of the local publish folder, and from the URL build prints, without a folder listing', async () => {
    const root = await project({});
    const run = await runCli(['publish'], root);
    expect(run.code, run.stderr).toBe(0);
    const { home, urls } = printed(run.stdout);
    const folder = `file://${path.join(root, 'public')}/`;
    expect(home).toBe(`${folder}index.html`);
    const crawl = await crawlSite(home, { context, also: urls });
    expect(crawl.broken).toEqual([]);
    expect(crawl.visited).toEqual(expect.arrayContaining(PAGES.map((page) => folder + page)));
    const built = await runCli(['build'], root);
    const dist = printed(built.stdout).home;
    expect(dist).toBe(`file://${path.join(root, 'dist')}/index.html`);
    expect((await crawlSite(dist, { context })).broken).toEqual([]);
  });

  test('directory style opens on a host with index documents, and the crawler finds it 404 on a plain bucket', async () => {
    const root = await project({ links: 'directory' });
    await build(root);
    const host = await staticHost(path.join(root, 'dist'));
    try {
      const crawl = await crawlSite(host.url, { context });
      expect(crawl.broken).toEqual([]);
      expect(crawl.visited).toContain(`${host.url}fr/press-release/`);
    } finally {
      await host.close();
    }
    const bucket = await createBucket(s3.reader, 'directory');
    const run = await runCli(['publish', '--target', `s3://${bucket}`, '--endpoint', s3.endpoint, '--path-style'], root);
    const { home, urls } = printed(run.stdout);
    expect(urls).toContain(`${s3.endpoint}/${bucket}/fr/press-release/`);
    const crawl = await crawlSite(`${home}index.html`, { context, also: urls });
    expect(crawl.broken).toContainEqual({ url: `${s3.endpoint}/${bucket}/fr/press-release/`, from: 'printed', problem: 'HTTP 404' });
  });
});

test('a link style other than file or directory is a config error naming the setting', async () => {
  const root = await project({ links: 'folders' });
  const run = await runCli(['build'], root);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('Unexpected `site.links`, expected `"file"` or `"directory"`');
});
