/**
 * Publishing through a proxy that breaks on purpose: 503 SlowDown and
 * connection resets for a share of requests, or no answer at all after a
 * number of PUTs. Retries must finish the job with every object verified; a
 * publish cut off part-way must leave the old site whole and linked.
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { listFiles, hashBytes } from '../pipeline/publish/site.ts';
import { MANIFEST_KEY } from '../pipeline/publish/manifest.ts';
import { PublishError } from '../pipeline/publish/errors.ts';
import { copyProject, createBucket, getObject, listKeys, publishFixture, useS3 } from './setup/publish.ts';

const s3 = useS3({ seed: 20 });
const { endpoint } = s3;

/** Every object of the built site is in the bucket with the same bytes and an ETag equal to its MD5. */
async function expectSiteStored(project: string, bucket: string): Promise<void> {
  const site = path.join(project, 'site');
  for (const key of await listFiles(site)) {
    const local = await readFile(path.join(site, key));
    const stored = await getObject(s3.reader, bucket, key);
    expect(stored.body.equals(local), key).toBe(true);
    expect(stored.ETag, key).toBe(`"${hashBytes(local).md5}"`);
  }
}

/** Keys that an HTML page or feed in the bucket links to (relative links only). */
function linksOf(key: string, text: string): string[] {
  return [...text.matchAll(/href="([^"]+)"/g)]
    .map((match) => match[1]!)
    .filter((href) => !/^[a-z]+:/i.test(href) && !href.startsWith('#'))
    .map((href) => {
      const pathname = decodeURIComponent(new URL(href, `http://site/${key}`).pathname.slice(1));
      return pathname === '' || pathname.endsWith('/') ? `${pathname}index.html` : pathname;
    });
}

/** A new statement in every language, linked from the indexes, the feeds and the home page; one existing page edited. */
async function addStatement(project: string): Promise<void> {
  const site = path.join(project, 'site');
  const slug = 'harbour-safety';
  await writeFile(path.join(project, 'statements', `${slug}.md`), '---\ntitle: "Harbour safety"\ndate: "2024-04-01"\nlang: en\n---\n\nSafety first.\n');
  for (const lng of ['nl', 'fr', 'en']) {
    const dir = path.join(site, lng, slug);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, `${slug}-${lng}.md`), `---\ntitle: "Harbour safety (${lng})"\n---\n\nSafety first.\n`);
    await writeFile(
      path.join(dir, `${slug}-${lng}.pdf`),
      Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from([0xe2, 0xe3, 0xcf, 0xd3, 0x00, 0xff]), Buffer.from(`\n${lng}\n%%EOF\n`)]),
    );
    await writeFile(path.join(dir, 'index.html'), `<!doctype html>\n<a href="${slug}-${lng}.pdf">PDF</a> <a href="${slug}-${lng}.md">md</a>\n`);
    for (const name of ['index.html', 'feed.xml']) {
      const file = path.join(site, lng, name);
      await writeFile(
        file,
        (await readFile(file, 'utf8')).replace(
          /(<li>|<entry>)/,
          `${name === 'feed.xml' ? '<entry><link href="harbour-safety/"/></entry>' : '<li><a href="harbour-safety/">Harbour safety</a></li>'}\n$1`,
        ),
      );
    }
  }
  const home = path.join(site, 'index.html');
  await writeFile(home, (await readFile(home, 'utf8')).replace('</ul>', '<li><a href="en/harbour-safety/">New</a></li>\n</ul>'));
  const page = path.join(site, 'en', 'climate-pledge', 'index.html');
  await writeFile(page, (await readFile(page, 'utf8')).replace('</h1>', '</h1>\n<p>Updated.</p>'));
}

describe('publish through faults', () => {
  test('under 20% faults (503 SlowDown and connection resets) the publish completes with retries and every object verified', async () => {
    const project = await copyProject();
    const bucket = await createBucket(s3.reader, 'faults');
    s3.proxy.clear();
    s3.proxy.faultRate = 0.2;
    try {
      const report = await publishFixture(project, { endpoint: s3.proxy.endpoint, bucket }, { overrides: { retries: 10 } });
      const outcomes = s3.proxy.requests.map((request) => request.outcome);
      expect(outcomes).toContain('slowdown');
      expect(outcomes).toContain('reset');
      expect(report.result!.retries).toBe(outcomes.filter((outcome) => outcome !== 'forwarded').length);
      expect(report.result!.manifestWritten).toBe(true);
    } finally {
      s3.proxy.faultRate = 0;
    }
    await expectSiteStored(project, bucket);
  });

  test('a publish cut off part-way leaves the old manifest and indexes, no index links to a missing object, and the next run completes', async () => {
    const project = await copyProject();
    const bucket = await createBucket(s3.reader, 'cutoff');
    await publishFixture(project, { endpoint, bucket });
    const before = new Map<string, Buffer>();
    for (const key of await listKeys(s3.reader, bucket)) before.set(key, (await getObject(s3.reader, bucket, key)).body);

    await addStatement(project);
    const plan = (await publishFixture(project, { endpoint, bucket }, { dryRun: true })).plan!;
    const files = plan.uploads.filter((upload) => upload.object.phase === 'files').length;
    expect(plan.uploads.some((upload) => upload.object.phase === 'indexes')).toBe(true);

    // The store stops answering in the middle of the statement pages.
    s3.proxy.clear();
    s3.proxy.cutAfterPuts = files + 1;
    let failure: unknown;
    try {
      await publishFixture(project, { endpoint: s3.proxy.endpoint, bucket }, { overrides: { retries: 2, concurrency: 1 } });
    } catch (error) {
      failure = error;
    } finally {
      s3.proxy.cutAfterPuts = undefined;
    }
    expect(failure).toBeInstanceOf(PublishError);
    expect((failure as PublishError).message).toMatch(
      /^Could not upload \d+ of \d+ objects to s3:\/\/cutoff-[\w-]+\/ at http:\/\/127\.0\.0\.1:\d+: `[a-z]{2}\/[\w-]+\/index\.html` \(ECONNRESET/,
    );
    expect((failure as PublishError).message).toContain('run the command again');
    expect((failure as PublishError).failed.length).toBeGreaterThan(0);

    // The old manifest, language indexes, feeds and home page are untouched.
    const after = await listKeys(s3.reader, bucket);
    for (const key of [MANIFEST_KEY, 'index.html', ...['nl', 'fr', 'en'].flatMap((lng) => [`${lng}/index.html`, `${lng}/feed.xml`])]) {
      expect((await getObject(s3.reader, bucket, key)).body.equals(before.get(key)!), key).toBe(true);
    }
    // Every link on every published page or index points at an object that exists.
    for (const key of after.filter((name) => name.endsWith('.html') || name.endsWith('.xml'))) {
      const text = (await getObject(s3.reader, bucket, key)).body.toString('utf8');
      for (const link of linksOf(key, text)) expect(after, `${key} → ${link}`).toContain(link);
    }

    s3.proxy.clear();
    const again = await publishFixture(project, { endpoint: s3.proxy.endpoint, bucket });
    expect(again.result!.manifestWritten).toBe(true);
    await expectSiteStored(project, bucket);
    const manifest = JSON.parse((await getObject(s3.reader, bucket, MANIFEST_KEY)).body.toString('utf8')) as { objects: Record<string, unknown> };
    expect(Object.keys(manifest.objects)).toEqual(await listFiles(path.join(project, 'site')));
  });
});
