/**
 * `statements publish` against a real S3-compatible server (s3rver on
 * 127.0.0.1, started by test/setup/s3rver.ts), through a proxy that records
 * every request. Every object is read back with a separate client.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { listFiles, frontMatterTitle } from '../pipeline/publish/site.ts';
import { MANIFEST_KEY, parseManifest } from '../pipeline/publish/manifest.ts';
import { PublishError } from '../pipeline/publish/errors.ts';
import { bucketEndpoint, objectUrl } from '../pipeline/publish/s3-endpoint.ts';
import { clientConfig } from '../pipeline/publish/s3.ts';
import { startFaultProxy } from '../scripts/servers/fault-proxy.ts';
import { copyOfRepository, runCli, spawnCli } from './helpers.ts';
import { copyProject, createBucket, getObject, listKeys, publishFixture, putText, useS3, withEnv } from './setup/publish.ts';

const s3 = useS3();
const { endpoint } = s3;

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');
const puts = () => s3.proxy.requests.filter((request) => request.method === 'PUT');
const deletes = () => s3.proxy.requests.filter((request) => request.method === 'DELETE');

/** A copy of the fixture published once to a new bucket under `p/`, and its manifest's GET requests through the proxy since the last `clear`. */
async function publishedOnce(name: string) {
  const project = await copyProject();
  const bucket = await createBucket(s3.reader, name);
  const target = { endpoint: s3.proxy.endpoint, bucket, prefix: 'p' };
  await publishFixture(project, target);
  const manifestGets = () => s3.proxy.requests.filter((request) => request.method === 'GET' && request.path === `${bucket}/p/${MANIFEST_KEY}`);
  return { project, bucket, target, manifestGets };
}

/** Rewrite the manifest under `prefix` as another publisher would, without one statement page; that page's key. */
async function dropOnePage(bucket: string, prefix: string): Promise<string> {
  const manifest = parseManifest((await getObject(s3.reader, bucket, `${prefix}${MANIFEST_KEY}`)).body.toString('utf8'))!;
  const dropped = Object.keys(manifest.objects).find((key) => key.endsWith('/index.html') && key.split('/').length === 3)!;
  delete manifest.objects[dropped];
  await putText(s3.reader, bucket, `${prefix}${MANIFEST_KEY}`, JSON.stringify(manifest));
  return dropped;
}

/** The upload phase a key belongs to, as the issue orders them. */
function phase(key: string): number {
  if (key === MANIFEST_KEY) return 4;
  if (!key.endsWith('.html') && !key.endsWith('.xml')) return 0;
  return [3, 2, 1][Math.min(key.split('/').length - 1, 2)]!;
}

describe('publish to an S3-compatible bucket', () => {
  test('run as the command a comms user types, it publishes and prints no notice meant for whoever upgrades the SDK', async () => {
    const project = await copyProject();
    const bucket = await createBucket(s3.reader, 'cli');
    const result = spawnCli(['publish', '--target', `s3://${bucket}/site`, '--endpoint', endpoint, '--path-style', '--quiet'], project);
    // The SDK gives this notice on Node before 22 (the machine's Node is 20).
    expect(result.stderr).not.toMatch(/NodeVersionSupportWarning|node >=22/);
    expect(result.code).toBe(0);
    expect(await listKeys(s3.reader, bucket)).toContain(`site/${MANIFEST_KEY}`);
  });

  test('every object reads back with its bytes, its MD5 as ETag, and the headers of its kind', async () => {
    const project = await copyProject();
    const bucket = await createBucket(s3.reader, 'full');
    const report = await publishFixture(project, { endpoint, bucket, prefix: 'press/releases' });
    const site = path.join(project, 'site');
    const keys = await listFiles(site);
    expect(report.result?.uploaded.sort()).toEqual(keys);
    expect(await listKeys(s3.reader, bucket)).toEqual([...keys.map((key) => `press/releases/${key}`), `press/releases/${MANIFEST_KEY}`].sort());

    for (const key of keys) {
      const local = await readFile(path.join(site, key));
      const stored = await getObject(s3.reader, bucket, `press/releases/${key}`);
      expect(stored.body.equals(local), key).toBe(true);
      expect(stored.ETag).toBe(`"${md5(local)}"`);
      expect(stored.Metadata?.sha256).toBe(sha256(local));
      const [first, slug] = key.split('/');
      expect(stored.ContentLanguage).toBe(key.includes('/') ? first : undefined);
      if (key.endsWith('.pdf')) {
        expect(stored.ContentType).toBe('application/pdf');
        // RFC 6266 / 5987: the localized title survives, accents included.
        const title = frontMatterTitle(await readFile(path.join(site, first!, slug!, `${slug}-${first}.md`), 'utf8'))!;
        const encoded = /filename\*=UTF-8''([^;]+)/.exec(stored.ContentDisposition ?? '')?.[1];
        const plain = /filename="([^"]*)"/.exec(stored.ContentDisposition ?? '')?.[1];
        expect(decodeURIComponent(encoded ?? plain!)).toBe(`${title}.pdf`);
        expect(plain).toMatch(/^[\x20-\x7e]+\.pdf$/);
      } else expect(stored.ContentDisposition).toBeUndefined();
      expect(stored.CacheControl).toBe('public, max-age=300, must-revalidate');
      if (key.endsWith('.html')) expect(stored.ContentType).toBe('text/html; charset=utf-8');
      if (key.endsWith('.md')) expect(stored.ContentType).toBe('text/markdown; charset=utf-8');
      if (key.endsWith('feed.xml')) expect(stored.ContentType).toBe('application/atom+xml');
      // Objects of a statement carry the sha256 of its source file.
      if (key.split('/').length === 3) {
        expect(stored.Metadata?.revision).toBe(sha256(await readFile(path.join(project, 'statements', `${slug}.md`))));
      }
    }

    const manifest = parseManifest((await getObject(s3.reader, bucket, `press/releases/${MANIFEST_KEY}`)).body.toString('utf8'))!;
    expect(Object.keys(manifest.objects)).toEqual(keys);
    for (const key of keys) expect(manifest.objects[key]!.sha256).toBe(sha256(await readFile(path.join(site, key))));
    expect(manifest.forced).toBe(false);
    expect(report.urls.map((url) => `${url.locale} ${url.url}`)).toContain(`fr ${endpoint}/${bucket}/press/releases/fr/climate-pledge/index.html`);
  });

  test('uploads files first, then statement pages, then indexes and feeds, then the home page, the manifest last', async () => {
    const project = await copyProject();
    const bucket = await createBucket(s3.reader, 'order');
    s3.proxy.clear();
    await publishFixture(project, { endpoint: s3.proxy.endpoint, bucket, prefix: 'site' }, { overrides: { concurrency: 3 } });
    const order = puts().map((request) => phase(request.path.slice(`${bucket}/site/`.length)));
    expect(order.length).toBe((await listFiles(path.join(project, 'site'))).length + 1);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order.at(-1)).toBe(4);
  });

  test('a second publish of the same site makes zero PUT requests', async () => {
    const project = await copyProject();
    const bucket = await createBucket(s3.reader, 'noop');
    await publishFixture(project, { endpoint: s3.proxy.endpoint, bucket, prefix: 'p' });
    s3.proxy.clear();
    const again = await publishFixture(project, { endpoint: s3.proxy.endpoint, bucket, prefix: 'p' });
    expect(puts()).toEqual([]);
    expect(deletes()).toEqual([]);
    expect(s3.proxy.requests.length).toBeGreaterThan(0);
    expect(again.plan?.uploads).toEqual([]);
    expect(again.result?.manifestWritten).toBe(false);
  });

  test('a publish asks for the bucket’s manifest only if it changed since this project last read or wrote it', async () => {
    const { project, bucket, target, manifestGets } = await publishedOnce('kept-manifest');
    s3.proxy.clear();
    const again = await publishFixture(project, target);
    // The manifest this project wrote: the bucket answers 304 with no body, and nothing is uploaded.
    expect(manifestGets()).toMatchObject([{ status: 304, ifNoneMatch: expect.stringMatching(/^"[0-9a-f]{32}"$/) }]);
    expect(again.plan?.uploads).toEqual([]);

    // Another publisher's manifest, which does not list one page: it is read in full, and the page uploaded again.
    const dropped = await dropOnePage(bucket, 'p/');
    s3.proxy.clear();
    const after = await publishFixture(project, target);
    expect(manifestGets()).toMatchObject([{ status: 200 }]);
    expect(after.plan?.uploads.map((upload) => upload.object.key)).toContain(dropped);
  });

  test('a dry run asks for the manifest only if it changed, as a publish does', async () => {
    const { project, bucket, target, manifestGets } = await publishedOnce('dry-kept-manifest');
    s3.proxy.clear();
    const dry = await publishFixture(project, target, { dryRun: true });
    expect(manifestGets()).toMatchObject([{ status: 304 }]);
    expect(dry.plan?.uploads).toEqual([]);

    // Another publisher's manifest: the dry run reads it in full and plans from it; the next run asks only if it changed again.
    const dropped = await dropOnePage(bucket, 'p/');
    s3.proxy.clear();
    const after = await publishFixture(project, target, { dryRun: true });
    expect(manifestGets()).toMatchObject([{ status: 200 }]);
    expect(after.plan?.uploads.map((upload) => upload.object.key)).toEqual([dropped]);
    s3.proxy.clear();
    const again = await publishFixture(project, target, { dryRun: true });
    expect(manifestGets()).toMatchObject([{ status: 304 }]);
    expect(again.plan?.uploads.map((upload) => upload.object.key)).toEqual([dropped]);
    expect(puts()).toEqual([]);
  });

  test('a store that refuses the If-None-Match condition still gives the manifest, asked again without it', async () => {
    const { project, target, manifestGets } = await publishedOnce('no-conditions');
    s3.proxy.clear();
    s3.proxy.refuseConditions = true;
    try {
      const again = await publishFixture(project, target);
      expect(manifestGets().map((request) => request.status)).toEqual([412, 200]);
      expect(again.plan?.uploads).toEqual([]);
      expect(puts()).toEqual([]);
    } finally {
      s3.proxy.refuseConditions = false;
    }
  });

  test('--dry-run reports the plan and makes no PUT or DELETE request', async () => {
    const project = await copyProject();
    const bucket = await createBucket(s3.reader, 'dry');
    // What an earlier publish left: a page, and the manifest that records it.
    const old = Buffer.from('old');
    const objects = { 'stale.html': { sha256: sha256(old), md5: md5(old), size: old.length, contentType: 'text/html', headers: 'h' } };
    await putText(s3.reader, bucket, 'p/stale.html', 'old');
    await putText(
      s3.reader,
      bucket,
      `p/${MANIFEST_KEY}`,
      JSON.stringify({
        format: 1,
        generator: 'statement-pipeline',
        publishedAt: '2024-01-01T00:00:00.000Z',
        forced: false,
        check: { errors: 0, warnings: 0 },
        objects,
      }),
    );
    s3.proxy.clear();
    const report = await publishFixture(project, { endpoint: s3.proxy.endpoint, bucket, prefix: 'p' }, { dryRun: true, overrides: { delete: true } });
    expect(puts()).toEqual([]);
    expect(deletes()).toEqual([]);
    const keys = await listFiles(path.join(project, 'site'));
    expect(report.plan?.uploads.map((upload) => upload.object.key).sort()).toEqual(keys);
    expect(report.plan?.deletions).toEqual(['stale.html']);
    expect(report.plan?.bytes).toBeGreaterThan(0);
    expect(report.result).toBeUndefined();
    expect(await listKeys(s3.reader, bucket)).toEqual(['p/stale.html', `p/${MANIFEST_KEY}`]);
  });

  test('after an edit, only the changed objects and the manifest are uploaded', async () => {
    const project = await copyProject();
    const bucket = await createBucket(s3.reader, 'edit');
    await publishFixture(project, { endpoint: s3.proxy.endpoint, bucket });
    const page = path.join(project, 'site', 'fr', 'climate-pledge', 'index.html');
    await writeFile(page, (await readFile(page, 'utf8')).replace('</h1>', '</h1>\n<p>Mise à jour.</p>'));
    const index = path.join(project, 'site', 'fr', 'index.html');
    await writeFile(index, `${await readFile(index, 'utf8')}<!-- edited -->\n`);
    s3.proxy.clear();
    const report = await publishFixture(project, { endpoint: s3.proxy.endpoint, bucket });
    expect(puts().map((request) => request.path)).toEqual([`${bucket}/fr/climate-pledge/index.html`, `${bucket}/fr/index.html`, `${bucket}/${MANIFEST_KEY}`]);
    expect(report.plan?.uploads.map((upload) => upload.reason)).toEqual(['changed', 'changed']);
    expect((await getObject(s3.reader, bucket, 'fr/climate-pledge/index.html')).body.toString()).toContain('Mise à jour.');
  });

  test('--delete removes what an earlier publish wrote and the build no longer produces under the prefix, and nothing outside it', async () => {
    const project = await copyProject();
    const bucket = await createBucket(s3.reader, 'delete');
    const outside = ['press-archive/fr/index.html', 'other/keep.pdf', 'root.html', 'pres/x.md'];
    for (const key of outside) await putText(s3.reader, bucket, key, key);
    // Published with a statement and a file that the build no longer produces since.
    const gone = [path.join('statements', 'withdrawn.md'), path.join('site', 'fr', 'withdrawn', 'index.html'), path.join('site', 'old.pdf')];
    await mkdir(path.join(project, 'site', 'fr', 'withdrawn'), { recursive: true });
    for (const file of gone) await writeFile(path.join(project, file), 'withdrawn');
    await publishFixture(project, { endpoint: s3.proxy.endpoint, bucket, prefix: 'press' });
    for (const file of gone) await rm(path.join(project, file), { recursive: true });

    await publishFixture(project, { endpoint: s3.proxy.endpoint, bucket, prefix: 'press' });
    expect(await listKeys(s3.reader, bucket, 'press/fr/withdrawn/')).toEqual(['press/fr/withdrawn/index.html']);

    s3.proxy.clear();
    const report = await publishFixture(project, { endpoint: s3.proxy.endpoint, bucket, prefix: 'press' }, { overrides: { delete: true } });
    expect(report.result?.deleted.sort()).toEqual(['fr/withdrawn/index.html', 'old.pdf']);
    expect(deletes().length).toBe(2);
    for (const request of deletes()) expect(request.path.startsWith(`${bucket}/press/`)).toBe(true);
    const remaining = await listKeys(s3.reader, bucket);
    for (const key of outside) expect(remaining).toContain(key);
    expect(remaining.filter((key) => key.startsWith('press/'))).toEqual(
      [...(await listFiles(path.join(project, 'site'))).map((key) => `press/${key}`), `press/${MANIFEST_KEY}`].sort(),
    );
  });

  test('no credentials in the chain: one sentence saying where to set them, nothing uploaded', async () => {
    const project = await copyProject();
    const bucket = await createBucket(s3.reader, 'nocreds');
    const noCredentials = Object.fromEntries(
      Object.keys(process.env)
        .filter((name) => name.startsWith('AWS_'))
        .map((name) => [name, undefined]),
    );
    const isolated = {
      ...noCredentials,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SHARED_CREDENTIALS_FILE: path.join(project, 'none'),
      AWS_CONFIG_FILE: path.join(project, 'none'),
    };
    s3.proxy.clear();
    await withEnv(isolated, () =>
      expect(publishFixture(project, { endpoint: s3.proxy.endpoint, bucket })).rejects.toThrow(
        /^No credentials found for `s3:\/\/.*`: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE/,
      ),
    );
    expect(puts()).toEqual([]);
  });

  test('without a manifest, the listing keeps identical objects from being uploaded again', async () => {
    const project = await copyProject();
    const bucket = await createBucket(s3.reader, 'listing');
    await publishFixture(project, { endpoint, bucket, prefix: 'p' });
    await s3.reader.send(new DeleteObjectCommand({ Bucket: bucket, Key: `p/${MANIFEST_KEY}` }));
    s3.proxy.clear();
    const report = await publishFixture(project, { endpoint: s3.proxy.endpoint, bucket, prefix: 'p' });
    expect(s3.proxy.requests.some((request) => request.method === 'GET' && request.query.includes('list-type=2'))).toBe(true);
    expect(puts().map((request) => request.path)).toEqual([`${bucket}/p/${MANIFEST_KEY}`]);
    expect(report.plan?.unchanged.length).toBe((await listFiles(path.join(project, 'site'))).length);
  });

  test('an access key the store does not know: one sentence, without the key or the secret, nothing uploaded', async () => {
    const project = await copyProject();
    const bucket = await createBucket(s3.reader, 'badkey');
    s3.proxy.clear();
    const failure = await withEnv({ AWS_ACCESS_KEY_ID: 'AKIATESTKEYID123456', AWS_SECRET_ACCESS_KEY: 'sEcReT/TeSt+KeY/9876543210abcdefghijklmn' }, () =>
      publishFixture(project, { endpoint: s3.proxy.endpoint, bucket }).catch((error: unknown) => error as Error),
    );
    expect(failure).toBeInstanceOf(PublishError);
    expect((failure as Error).message).toMatch(
      /^The store does not know the access key used for `s3:\/\/badkey-[\w-]+\/` at `http:\/\/127\.0\.0\.1:\d+` \(InvalidAccessKeyId\): check AWS_ACCESS_KEY_ID/,
    );
    expect((failure as Error).message).not.toMatch(/AKIATESTKEYID123456|sEcReT/);
    expect(puts()).toEqual([]);
  });
});

describe('bad configuration is one sentence and nothing is uploaded', () => {
  test.each([
    [
      'a bucket that does not exist',
      { bucket: 'no-such-bucket-here' },
      /^No bucket `no-such-bucket-here` at `http:\/\/127\.0\.0\.1:\d+`: create it, or fix the bucket name in --target/,
    ],
    [
      'an invalid bucket name',
      { bucket: 'Bad_Bucket' },
      /^Invalid bucket name `Bad_Bucket` in `s3:\/\/Bad_Bucket\/` from --target: use 3 to 63 lowercase letters/,
    ],
    [
      'a prefix with ..',
      { bucket: 'fine-bucket', prefix: 'press/../secrets' },
      /^Invalid prefix `press\/\.\.\/secrets` in `s3:\/\/fine-bucket\/press\/\.\.\/secrets` from --target: .*without `\.\.`/,
    ],
  ])('%s', async (_, target, message) => {
    const project = await copyProject();
    s3.proxy.clear();
    const attempt = publishFixture(project, { endpoint: s3.proxy.endpoint, ...target });
    await expect(attempt).rejects.toThrow(PublishError);
    await expect(attempt).rejects.toThrow(message);
    expect(puts()).toEqual([]);
  });

  test('an endpoint where nothing listens', async () => {
    const project = await copyProject();
    const closed = await startFaultProxy(endpoint);
    const address = closed.endpoint;
    await closed.close();
    await expect(publishFixture(project, { endpoint: address, bucket: 'any-bucket' })).rejects.toThrow(
      /^Cannot connect to `http:\/\/127\.0\.0\.1:\d+` \(ECONNREFUSED\): check --endpoint/,
    );
  });

  test('an endpoint that is not a URL', async () => {
    const project = await copyProject();
    await expect(publishFixture(project, { endpoint: 'localhost:9000', bucket: 'any-bucket' })).rejects.toThrow(
      /^Invalid endpoint `localhost:9000` from --endpoint: expected an `http:\/\/` or `https:\/\/` URL/,
    );
  });
});

describe('statements publish pointed at an S3-compatible endpoint', () => {
  test('STATEMENTS_PUBLISH_* variables send the first real statement in nl, fr and en to the bucket', async () => {
    const project = await copyOfRepository();
    const bucket = await createBucket(s3.reader, 'cli');
    const result = await withEnv(
      { STATEMENTS_PUBLISH_TARGET: `s3://${bucket}/press`, STATEMENTS_PUBLISH_ENDPOINT: endpoint, STATEMENTS_PUBLISH_PATH_STYLE: 'true' },
      () => runCli(['publish'], project),
    );
    expect(result.code, result.stderr).toBe(0);
    const keys = await listKeys(s3.reader, bucket);
    for (const locale of ['nl', 'fr', 'en']) {
      const own = keys.filter((key) => key.startsWith(`press/${locale}/lydis-statement-follow-the-money/`));
      expect(own.length, locale).toBeGreaterThan(0);
      expect(result.stdout).toContain(`${endpoint}/${bucket}/press/${locale}/lydis-statement-follow-the-money/index.html`);
    }
    expect(keys).toContain(`press/${MANIFEST_KEY}`);
  });

  test('a bucket that does not exist is one sentence and exit code 1, before anything is built', async () => {
    const project = await copyOfRepository();
    const result = await runCli(['publish', '--target', 's3://no-such-bucket/press', '--endpoint', endpoint, '--path-style'], project);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(
      /^✖ No bucket `no-such-bucket` at `http:\/\/127\.0\.0\.1:\d+`: create it, or fix the bucket name in --target \(or STATEMENTS_PUBLISH_TARGET\)$/,
    );
    expect(existsSync(path.join(project, 'dist'))).toBe(false);
  });
});

describe('uploads go where the SDK would send a PutObject', () => {
  test.each(['AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL'])('with no endpoint in the settings, %s sends every object to the store it names', async (variable) => {
    const project = await copyProject();
    const bucket = await createBucket(s3.reader, 'env-endpoint');
    s3.proxy.clear();
    const endpoints = { AWS_ENDPOINT_URL_S3: undefined, AWS_ENDPOINT_URL: undefined, [variable]: s3.proxy.endpoint };
    const report = await withEnv(endpoints, () => publishFixture(project, { bucket, prefix: 'p' }, { overrides: { pathStyle: false } }));
    expect(report.settings.target.kind).toBe('s3');
    expect(report.settings.target).not.toHaveProperty('endpoint');
    const site = path.join(project, 'site');
    const keys = await listFiles(site);
    // The loopback address is no host name for a bucket: the SDK's rules address it path style.
    expect(puts().map((request) => request.path)).toEqual(expect.arrayContaining([...keys, MANIFEST_KEY].map((key) => `${bucket}/p/${key}`)));
    expect(await listKeys(s3.reader, bucket)).toEqual([...keys, MANIFEST_KEY].map((key) => `p/${key}`).sort());
    for (const key of keys) expect((await getObject(s3.reader, bucket, `p/${key}`)).body.equals(await readFile(path.join(site, key))), key).toBe(true);
  });

  interface Case {
    name: string;
    spec: Parameters<typeof clientConfig>[0];
    bucket?: string;
    key: string;
    env?: Record<string, string>;
    url: string;
  }
  const cases: Case[] = [
    {
      name: 'virtual-hosted on AWS, each key segment encoded',
      spec: { region: 'eu-west-1', pathStyle: false },
      key: 'fr/a b/x(1).pdf',
      url: 'https://press.s3.eu-west-1.amazonaws.com/fr/a%20b/x%281%29.pdf',
    },
    {
      name: 'path style on AWS when asked',
      spec: { region: 'eu-west-1', pathStyle: true },
      key: 'index.html',
      url: 'https://s3.eu-west-1.amazonaws.com/press/index.html',
    },
    {
      name: 'path style for a dotted bucket over TLS',
      spec: { region: 'us-east-1', pathStyle: false },
      bucket: 'press.example.com',
      key: 'index.html',
      url: 'https://s3.us-east-1.amazonaws.com/press.example.com/index.html',
    },
    {
      name: 'FIPS and dual-stack from the environment',
      spec: { region: 'us-east-1', pathStyle: false },
      key: 'nl/index.html',
      env: { AWS_USE_FIPS_ENDPOINT: 'true', AWS_USE_DUALSTACK_ENDPOINT: 'true' },
      url: 'https://press.s3-fips.dualstack.us-east-1.amazonaws.com/nl/index.html',
    },
    {
      name: 'virtual-hosted below a custom endpoint',
      spec: { endpoint: 'http://minio.local:9000', pathStyle: false },
      key: 'nl/index.html',
      url: 'http://press.minio.local:9000/nl/index.html',
    },
    {
      name: 'path style below a custom endpoint with a path',
      spec: { endpoint: 'https://store.example/s3', pathStyle: true },
      key: 'nl/index.html',
      url: 'https://store.example/s3/press/nl/index.html',
    },
    {
      name: 'path style for a loopback address',
      spec: { endpoint: 'http://127.0.0.1:9000', pathStyle: false },
      key: 'nl/index.html',
      url: 'http://127.0.0.1:9000/press/nl/index.html',
    },
    {
      name: 'an https endpoint from AWS_ENDPOINT_URL_S3',
      spec: { pathStyle: false },
      key: 'en/index.html',
      env: { AWS_REGION: 'eu-west-3', AWS_ENDPOINT_URL_S3: 'https://s3.fr-par.scw.cloud' },
      url: 'https://press.s3.fr-par.scw.cloud/en/index.html',
    },
  ];
  test.each(cases)('the same object URL as the SDK: $name', async ({ spec, bucket = 'press', key, env, url }) => {
    const unset = { AWS_ENDPOINT_URL_S3: undefined, AWS_ENDPOINT_URL: undefined, AWS_USE_FIPS_ENDPOINT: undefined, AWS_USE_DUALSTACK_ENDPOINT: undefined };
    await withEnv({ ...unset, ...env }, async () => {
      const client = new S3Client(clientConfig(spec));
      try {
        const ours = objectUrl(await bucketEndpoint(client.config, bucket), key);
        expect(ours.href).toBe(url);
        expect(ours.href).toBe(await sdkPutUrl(client, bucket, key));
      } finally {
        client.destroy();
      }
    });
  });
});

/** The URL the SDK's own client puts an object to: its request as serialized, stopped before it is signed or sent (no DNS, no network). */
async function sdkPutUrl(client: S3Client, bucket: string, key: string): Promise<string> {
  const stop = new Error('stopped before sending');
  let url = '';
  client.middlewareStack.add(
    () => async (args) => {
      const request = args.request as { protocol: string; hostname: string; port?: number; path: string };
      url = `${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ''}${request.path}`;
      throw stop;
    },
    { step: 'build', priority: 'low' },
  );
  await expect(client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x' }))).rejects.toBe(stop);
  return url;
}
