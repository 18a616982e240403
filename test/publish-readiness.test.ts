/**
 * Readers only ever get whole versions: a project of three statements (one
 * complete, one half translated in nl, one with a tag error in fr) published
 * to a real S3-compatible bucket (s3rver). Exactly the ready versions go
 * out; a withheld one has no page, PDF, link, hreflang, index or feed entry;
 * what it published earlier stays byte-identical; `--force` leaves no dead link.
 */
import { cp, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { fixtures, runCli } from './helpers.ts';
import { createBucket, getObject, listKeys, useS3 } from './setup/publish.ts';
import { crawlSite } from './support/crawl.ts';
import { listFiles } from '../pipeline/publish/site.ts';
import { launchChromium, loopbackContext } from './support/chromium.ts';

const s3 = useS3();
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  browser = await launchChromium();
  context = await loopbackContext(browser);
});
afterAll(() => browser?.close());
const BASE = 'https://press.example.com/';

async function readinessProject(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'statements-readiness-'));
  await cp(path.join(fixtures, 'readiness'), dir, { recursive: true });
  return dir;
}

const publish = (project: string, bucket: string, ...flags: string[]) =>
  runCli(['publish', '--target', `s3://${bucket}/`, '--endpoint', s3.endpoint, '--path-style', ...flags], project);

/** Every object of the bucket with its bytes. */
async function objects(bucket: string): Promise<Map<string, Buffer>> {
  const keys = await listKeys(s3.reader, bucket);
  return new Map(await Promise.all(keys.map(async (key) => [key, (await getObject(s3.reader, bucket, key)).body] as const)));
}

/** Every file of a local publish folder, base64. */
async function folder(dir: string): Promise<Map<string, string>> {
  const keys = await listFiles(dir);
  return new Map(
    await Promise.all(
      keys.map(async (key) => [key, (await readFile(path.join(dir, key))).toString(/\.(json|html|xml)$/.test(key) ? 'utf8' : 'base64')] as const),
    ),
  );
}

/** The keys of one version's folder. */
const versionKeys = (bucket: Map<string, Buffer>, locale: string, slug: string) => [...bucket.keys()].filter((key) => key.startsWith(`${locale}/${slug}/`));

/** The keys that the internal links of page `key` (relative, or absolute on the base URL; a folder as its `index.html`) point at. */
function linkTargets(key: string, body: Buffer): string[] {
  const targets: string[] = [];
  for (const [, href] of body.toString('utf8').matchAll(/(?:href|src)="([^"#]*)[^"]*"|<(?:id|loc)>([^<]+)</g)) {
    if (href === undefined) continue;
    const url = new URL(href.replace(/&amp;/g, '&'), new URL(key, BASE));
    if (url.href.startsWith(BASE)) targets.push(decodeURIComponent(url.pathname.slice(1)).replace(/(^|\/)$/, '$1index.html'));
  }
  return targets;
}

/** Pages, indexes and feeds outside the version's folder that link to it (in `href`, `src`, or a feed entry's address). */
function linksTo(bucket: Map<string, Buffer>, locale: string, slug: string): string[] {
  const folder = `${locale}/${slug}/`;
  return [...bucket]
    .filter(([key]) => /\.(html|xml)$/.test(key) && !key.startsWith(folder))
    .filter(([key, body]) => linkTargets(key, body).some((target) => target.startsWith(folder)) || body.toString('utf8').includes(`${BASE}${folder}`))
    .map(([key]) => key);
}

describe('publish withholds the versions that are not ready', () => {
  test('exactly the ready versions go out; the half-translated nl version has no page, PDF, link, hreflang, index or feed entry; exit 0 for "not translated yet", 1 with --strict', async () => {
    const project = await readinessProject();
    // The fr tag fixed: only `half` in nl is not ready.
    const fr = path.join(project, 'locales', 'fr', 'broken.json');
    await writeFile(fr, (await readFile(fr, 'utf8')).replace('<1>firmware de', '<1>firmware</1> de'));
    // A preview build first: it builds the partial nl version, which the publish must still withhold,
    // and its complete versions, which the publish takes from the cache as they are.
    expect((await runCli(['build'], project)).code).toBe(0);
    const dist = (key: string) => path.join(project, 'dist', key);
    expect((await stat(dist('nl/half/index.html'))).isFile()).toBe(true);
    const previewed = (await stat(dist('fr/complete/index.html'))).mtimeMs;
    const bucket = await createBucket(s3.reader, 'ready');
    const result = await publish(project, bucket);
    expect(result.code, result.stderr).toBe(0);
    expect((await stat(dist('fr/complete/index.html'))).mtimeMs).toBe(previewed);
    expect(result.stdout).toMatch(/half +nl +withheld: 4 of 6 segments not translated: 33%, 100% required +fix: locales\/nl\/half\.json:4:3/);
    expect(result.stderr).toContain('⚠ Withheld 1 version (1 not translated yet)');

    const stored = await objects(bucket);
    for (const slug of ['complete', 'half', 'broken'])
      for (const locale of ['nl', 'fr', 'en']) {
        const keys = versionKeys(stored, locale, slug);
        if (slug === 'half' && locale === 'nl') expect(keys).toEqual([]);
        else expect(keys, `${locale}/${slug}`).toEqual(expect.arrayContaining([`${locale}/${slug}/index.html`, `${locale}/${slug}/${slug}-${locale}.pdf`]));
      }
    expect(linksTo(stored, 'nl', 'half')).toEqual([]);
    expect(linksTo(stored, 'fr', 'half')).toEqual(expect.arrayContaining(['en/half/index.html', 'fr/index.html', 'fr/feed.xml']));
    expect(stored.get('en/half/index.html')!.toString()).not.toContain('hreflang="nl"');
    expect(stored.get('nl/index.html')!.toString()).not.toContain('half/');
    expect(stored.get('nl/feed.xml')!.toString()).not.toContain('half');
    expect(stored.get('fr/feed.xml')!.toString()).toContain(`${BASE}fr/half/`);
    const manifest = JSON.parse(stored.get('statements-manifest.json')!.toString()) as { objects: Record<string, unknown> };
    expect(Object.keys(manifest.objects).filter((key) => key.startsWith('nl/half/'))).toEqual([]);

    // --quiet: no progress and no totals, only the withheld version and the statement table.
    const quiet = await publish(project, bucket, '--quiet');
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toMatch(/checking…|uploading…|warning/);
    expect(quiet.stdout).not.toMatch(/published|uploaded/);
    expect(quiet.stdout).toMatch(/half +nl +withheld: 4 of 6 segments not translated/);
    expect(quiet.stdout).toMatch(/^half +0 +4 +nl$/m);

    expect((await publish(project, bucket, '--strict')).code).toBe(1);
  });

  test('a tag error in fr withholds that version alone, exit 1; what it published earlier stays byte-identical and nothing new links to it', async () => {
    const project = await readinessProject();
    const fr = path.join(project, 'locales', 'fr', 'broken.json');
    const broken = await readFile(fr, 'utf8');
    await writeFile(fr, broken.replace('<1>firmware de', '<1>firmware</1> de'));
    const bucket = await createBucket(s3.reader, 'earlier');
    expect((await publish(project, bucket)).code).toBe(0);
    const before = await objects(bucket);

    // The translator's next edit breaks a tag.
    await writeFile(fr, broken.replace('plus vite', 'bien plus vite'));
    const result = await publish(project, bucket, '--delete');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/locales\/fr\/broken\.json:4:\d+ +error +Tags of `intro\.we-updated-the-firmware` do not match/);
    expect(result.stdout).toMatch(/broken +fr +withheld: 1 error +fix: locales\/fr\/broken\.json:4:\d+/);
    for (const [slug, locale] of [
      ['broken', 'nl'],
      ['broken', 'en'],
      ['complete', 'fr'],
    ])
      expect(result.stdout).toMatch(new RegExp(`${slug} +${locale} +published`));

    const after = await objects(bucket);
    const earlier = versionKeys(before, 'fr', 'broken');
    expect(versionKeys(after, 'fr', 'broken')).toEqual(earlier);
    for (const key of earlier) expect(after.get(key)!.equals(before.get(key)!), key).toBe(true);
    // Its language switcher and hreflang no longer name fr.
    expect(after.get('en/broken/index.html')!.equals(before.get('en/broken/index.html')!)).toBe(false);
    expect(linksTo(after, 'fr', 'broken')).toEqual([]);
    expect(after.get('fr/index.html')!.toString()).toContain('complete/');
  });

  test('--force publishes every version that can be built and links only to versions in the bucket: a Chromium crawl from the front door finds no dead link', async () => {
    const project = await readinessProject();
    const bucket = await createBucket(s3.reader, 'forced');
    // The site served from the bucket itself, so that every absolute link (alternates, feeds) can be followed.
    const base = `${s3.endpoint}/${bucket}/`;
    await writeFile(path.join(project, 'statements.config.json'), JSON.stringify({ locales: ['nl', 'fr', 'en'], site: { baseUrl: base } }));
    const result = await publish(project, bucket, '--force');
    // The fr tag error cannot be built even with --force: withheld, exit 1.
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/half +nl +published/);
    expect(result.stdout).toMatch(/broken +fr +withheld/);
    const keys = await listKeys(s3.reader, bucket);
    expect(keys).toContain('nl/half/index.html');
    expect(keys.filter((key) => key.startsWith('fr/broken/'))).toEqual([]);
    const urls = [...result.stdout.matchAll(/\bhttp:\/\/\S+/g)].map((match) => match[0]);
    const crawl = await crawlSite(`${base}index.html`, { context, also: urls });
    expect(crawl.broken).toEqual([]);
    expect(crawl.visited).toEqual(expect.arrayContaining(['nl/half/index.html', 'en/broken/index.html', 'nl/feed.xml'].map((key) => base + key)));
  });
});

describe('publish <slug…>', () => {
  test('publishes the named statement only: the others stay as they are in the target, in its manifest and on the indexes, also with --delete', async () => {
    const project = await readinessProject();
    const fr = path.join(project, 'locales', 'fr', 'broken.json');
    await writeFile(fr, (await readFile(fr, 'utf8')).replace('<1>firmware de', '<1>firmware</1> de'));
    const out = path.join(project, 'out');
    expect((await runCli(['publish', '--target', 'out'], project)).code).toBe(0);
    const before = await folder(out);

    // Both statements change locally; only `complete` is published.
    for (const slug of ['complete', 'broken']) {
      const nl = path.join(project, 'locales', 'nl', `${slug}.json`);
      await writeFile(nl, (await readFile(nl, 'utf8')).replace(/"meta\.summary": "([^"]*)"/, '"meta.summary": "$1 Bijgewerkt."'));
    }
    const named = await runCli(['publish', 'complete', '--target', 'out', '--delete'], project);
    expect(named.code, named.stderr).toBe(0);
    expect(named.stdout).toMatch(/complete +nl +published/);
    expect(named.stdout).not.toMatch(/^(broken|half) /m);
    // Their files in the build folder are theirs, not leftovers of removed statements.
    expect(named.stdout + named.stderr).not.toMatch(/Left out/);

    const after = await folder(out);
    expect(after.get('nl/complete/index.html')).not.toEqual(before.get('nl/complete/index.html'));
    const others = [...before.keys()].filter((key) => /^[a-z]{2}\/(broken|half)\//.test(key));
    expect(others.length).toBeGreaterThan(10);
    for (const key of others) expect(after.get(key), key).toEqual(before.get(key));
    expect(after.get('nl/index.html')).toMatch(/broken\//);
    const manifest = JSON.parse(after.get('statements-manifest.json')!) as { objects: Record<string, unknown> };
    expect(Object.keys(manifest.objects)).toEqual(expect.arrayContaining(others));
  });
});
