/**
 * Publish settings (flags over environment over config file over defaults),
 * the sentences for bad configuration and for credential failures, and the
 * retry policy.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { S3ServiceException } from '@aws-sdk/client-s3';
import { loadConfig } from '../pipeline/config.ts';
import { PipelineError } from '../pipeline/diagnostics.ts';
import { normalizePrefix, parseTarget, resolvePublishSettings } from '../pipeline/publish/settings.ts';
import { describeS3Error, isConfigurationError, publicBaseUrl } from '../pipeline/publish/s3.ts';
import { backoff, isRetryable, withRetry } from '../pipeline/publish/retry.ts';
import { IntegrityMismatch } from '../pipeline/publish/errors.ts';
import { copyProject } from './setup/publish.ts';

const project = {
  root: '/srv/press',
  outDir: '/srv/press/dist',
  statementsDir: '/srv/press/statements',
  localesDir: '/srv/press/locales',
  cacheDir: '/srv/press/.cache',
};

const s3Error = (name: string, status: number, message = name) =>
  new S3ServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, message });
const networkError = (code: string) => Object.assign(new Error(`socket: ${code}`), { code });

describe('publish settings', () => {
  test('flags win over STATEMENTS_PUBLISH_* variables, which win over the config file', () => {
    const settings = resolvePublishSettings(
      { ...project, publish: { target: 's3://from-config/a', concurrency: 4, region: 'eu-west-1', endpoint: 'https://config.example' } },
      { concurrency: 2 },
      { STATEMENTS_PUBLISH_TARGET: 's3://from-env/press/nl/', STATEMENTS_PUBLISH_PATH_STYLE: 'true', STATEMENTS_PUBLISH_CONCURRENCY: '6' },
    );
    expect(settings.target).toEqual({
      kind: 's3',
      bucket: 'from-env',
      prefix: 'press/nl/',
      endpoint: 'https://config.example',
      region: 'eu-west-1',
      pathStyle: true,
    });
    expect(settings.concurrency).toBe(2);
  });

  test('with no bucket configured the target is the folder `public/`, and the defaults are filled in', () => {
    const settings = resolvePublishSettings(project, {}, {});
    expect(settings.target).toEqual({ kind: 'local', dir: '/srv/press/public' });
    expect(settings).toMatchObject({ concurrency: 8, delete: false, timeout: 30_000, retry: { retries: 5 } });
  });

  test('the public URL defaults to the site base URL', () => {
    expect(resolvePublishSettings({ ...project, site: { baseUrl: 'https://press.example.be/' } }, {}, {}).publicUrl).toBe('https://press.example.be/');
    expect(resolvePublishSettings(project, { publicUrl: 'https://cdn.example.be/press' }, {}).publicUrl).toBe('https://cdn.example.be/press/');
  });

  test.each([
    [
      {},
      { STATEMENTS_PUBLISH_CONCURRENCY: 'many' },
      /^Unexpected concurrency `many` from STATEMENTS_PUBLISH_CONCURRENCY, expected a whole number of at least 1$/,
    ],
    [{ concurrency: 0 }, {}, /^Unexpected concurrency `0` from --concurrency, expected a whole number of at least 1$/],
    [{}, { STATEMENTS_PUBLISH_PATH_STYLE: 'maybe' }, /^Unexpected STATEMENTS_PUBLISH_PATH_STYLE `maybe`, expected `true` or `false`$/],
    [{ target: 'ftp://host/dir' }, {}, /^Unexpected target `ftp:\/\/host\/dir` from --target, expected `s3:\/\/bucket\/prefix` or a folder such as `public`$/],
    [{ target: 's3://ab/x' }, {}, /^Invalid bucket name `ab` in `s3:\/\/ab\/x` from --target/],
    [{ target: 's3://192.168.1.10/x' }, {}, /^Invalid bucket name `192\.168\.1\.10`/],
    [{ target: 's3://my..bucket' }, {}, /^Invalid bucket name `my\.\.bucket`/],
    [
      {},
      { STATEMENTS_PUBLISH_TARGET: 's3://press/../../etc' },
      /^Invalid prefix `\.\.\/\.\.\/etc` in `s3:\/\/press\/\.\.\/\.\.\/etc` from STATEMENTS_PUBLISH_TARGET: .*without `\.\.`/,
    ],
    [{ target: 's3://press/x', endpoint: 'not a url' }, {}, /^Invalid endpoint `not a url` from --endpoint: expected a URL such as/],
  ])('%o with %o is one sentence naming where the value came from', (flags, env, message) => {
    expect(() => resolvePublishSettings(project, flags, env)).toThrow(message);
  });

  test('an endpoint with credentials in it is refused without repeating them', () => {
    let message = '';
    try {
      resolvePublishSettings(project, { target: 's3://press/x', endpoint: 'https://AKIAEXAMPLE:wJalrXUtnFEMI@s3.example.com' }, {});
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Invalid endpoint from --endpoint: it contains credentials; remove them and use the AWS credential chain/);
    expect(message).not.toMatch(/AKIAEXAMPLE|wJalrXUtnFEMI/);
  });

  test('prefixes are normalized to end with one slash, and `.`, `..` and `//` are refused', () => {
    expect(normalizePrefix('')).toBe('');
    expect(normalizePrefix('/press/nl/')).toBe('press/nl/');
    expect(parseTarget('s3://my.bucket-1', '/').kind).toBe('s3');
    for (const bad of ['a//b', 'a/./b', '..', 'a\\b']) expect(() => normalizePrefix(bad)).toThrow(/^Invalid prefix/);
  });

  test('a `publish` section with unknown fields or wrong types is reported on the config file', async () => {
    const dir = await copyProject();
    await writeFile(
      path.join(dir, 'statements.config.json'),
      `${JSON.stringify({ outDir: 'site', publish: { target: 5, concurency: 4, pathStyle: 'yes' } }, null, 2)}\n`,
    );
    const failure = await loadConfig(dir).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PipelineError);
    expect((failure as PipelineError).files[0]!.messages.map((message) => message.reason)).toEqual([
      'Unexpected `publish.target`, expected a string',
      'Unexpected `publish.concurency`, expected one of `target`, `endpoint`, `region`, `pathStyle`, `concurrency`, `publicUrl`, `delete`, `retries`, `timeout`',
      'Unexpected `publish.pathStyle`, expected `true` or `false`',
    ]);
  });
});

describe('what S3 failures say', () => {
  const spec = { kind: 's3' as const, bucket: 'press', prefix: 'nl/', endpoint: 'https://s3.fr-par.scw.cloud', region: 'fr-par', pathStyle: true };

  test.each([
    [
      Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
      /^No credentials found for `s3:\/\/press\/nl\/` at `https:\/\/s3\.fr-par\.scw\.cloud`: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE/,
    ],
    [
      s3Error('InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.'),
      /^The store does not know the access key used for .* \(InvalidAccessKeyId\): check AWS_ACCESS_KEY_ID or the profile named by AWS_PROFILE$/,
    ],
    [
      s3Error('SignatureDoesNotMatch', 403),
      /^The store rejected the request signature for .* \(SignatureDoesNotMatch\): check AWS_SECRET_ACCESS_KEY, and the region \(--region\)$/,
    ],
    [s3Error('ExpiredToken', 400), /^The session token for .* has expired/],
    [s3Error('AccessDenied', 403), /^Access denied to `s3:\/\/press\/nl\/`.*: the credentials need s3:ListBucket, s3:GetObject and s3:PutObject/],
    [s3Error('NoSuchBucket', 404), /^No bucket `press` at `https:\/\/s3\.fr-par\.scw\.cloud`: create it, or fix the bucket name in --target/],
    [s3Error('PermanentRedirect', 301), /^The bucket `press` is in another region than `fr-par` \(PermanentRedirect\): set --region/],
    [networkError('ENOTFOUND'), /^Cannot resolve the endpoint host for .* \(ENOTFOUND\): check --endpoint .* try --path-style$/],
    [networkError('ECONNREFUSED'), /^Cannot connect to `https:\/\/s3\.fr-par\.scw\.cloud` \(ECONNREFUSED\): check --endpoint/],
  ])('%s', (error, message) => {
    expect(describeS3Error(error, spec)).toMatch(message);
  });

  test('configuration failures are not retried, throttling and resets are', () => {
    for (const error of [s3Error('NoSuchBucket', 404), s3Error('AccessDenied', 403), s3Error('InvalidAccessKeyId', 403), networkError('ENOTFOUND')]) {
      expect(isConfigurationError(error)).toBe(true);
      expect(isRetryable(error)).toBe(false);
    }
    for (const error of [
      s3Error('SlowDown', 503),
      s3Error('TooManyRequests', 429),
      s3Error('InternalError', 500),
      networkError('ECONNRESET'),
      new IntegrityMismatch('k', 'a', 'b'),
    ]) {
      expect(isRetryable(error), String(error)).toBe(true);
    }
    expect(isRetryable(Object.assign(new Error('socket hang up'), { cause: networkError('EPIPE') }))).toBe(true);
  });

  test('public URLs follow the addressing style', () => {
    expect(publicBaseUrl(spec)).toBe('https://s3.fr-par.scw.cloud/press/nl/');
    expect(publicBaseUrl({ ...spec, pathStyle: false })).toBe('https://press.s3.fr-par.scw.cloud/nl/');
    expect(publicBaseUrl({ ...spec, endpoint: undefined, region: 'eu-west-3' })).toBe('https://press.s3.eu-west-3.amazonaws.com/nl/');
  });
});

describe('retries', () => {
  const options = { retries: 4, baseDelay: 100, maxDelay: 1000 };

  test('the wait grows exponentially up to the cap, with full jitter', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => backoff(attempt, options, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoff(3, options, () => 0)).toBe(0);
    expect(backoff(3, options, () => 0.5)).toBe(200);
  });

  test('a retryable failure is tried again until it succeeds; a permanent one fails at once', async () => {
    const quick = { ...options, baseDelay: 1, maxDelay: 2 };
    let calls = 0;
    const seen: number[] = [];
    const value = await withRetry(
      async () => {
        if (++calls < 3) throw s3Error('SlowDown', 503);
        return 'done';
      },
      quick,
      (info) => seen.push(info.attempt),
    );
    expect([value, calls, seen]).toEqual(['done', 3, [1, 2]]);

    calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw s3Error('NoSuchBucket', 404);
      }, quick),
    ).rejects.toThrow('NoSuchBucket');
    expect(calls).toBe(1);

    calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw networkError('ECONNRESET');
      }, quick),
    ).rejects.toThrow('ECONNRESET');
    expect(calls).toBe(quick.retries + 1);
  });
});
