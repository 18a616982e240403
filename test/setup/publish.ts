/**
 * Shared tools of the publish tests: a temporary copy of the publish fixture
 * project, buckets on the s3rver of the global setup, an independent S3
 * client to read objects back, and a publish call with test settings.
 */
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, inject } from 'vitest';
import { loadConfig } from '../../pipeline/config.ts';
import { startFaultProxy, type FaultProxy } from '../../scripts/servers/fault-proxy.ts';
import { publishProject, type PublishOptions, type PublishReport } from '../../pipeline/commands/publish.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const fixtureProject = path.resolve(here, '..', 'fixtures', 'publish-project');

/** s3rver accepts any well-formed signature; the SDK's default chain finds these in the environment. */
const TEST_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' };

/** Run `task` with environment variables set (a string) or removed (undefined), then put them back. */
export async function withEnv<T>(vars: Record<string, string | undefined>, task: () => Promise<T> | T): Promise<T> {
  const restore = setEnv(vars);
  try {
    return await task();
  } finally {
    restore();
  }
}

/** Set (a string) or remove (undefined) environment variables; returns what puts them back. */
function setEnv(vars: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(vars);
  return () => apply(saved);
}

/** A temporary copy of `test/fixtures/publish-project` (statements and a built site in `site/`). */
export async function copyProject(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'statements-publish-'));
  await cp(fixtureProject, dir, { recursive: true });
  return dir;
}

/** A client independent of the one publish uses, to read back what was stored. */
export function readerClient(endpoint: string): S3Client {
  return new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
}

export interface S3Context {
  /** The s3rver endpoint of the global setup. */
  endpoint: string;
  /** An independent client to read objects back. */
  reader: S3Client;
  /** A recording (and, on demand, faulty) proxy in front of the server. */
  proxy: FaultProxy;
}

/**
 * Test credentials, a reader client and a proxy for the tests of one file,
 * closed after them; the environment is put back too, since files share
 * their worker's process (vitest.config.ts).
 */
export function useS3(options: { seed?: number } = {}): S3Context {
  const context = { endpoint: inject('s3Endpoint') } as S3Context;
  let restoreEnv: () => void;
  beforeAll(async () => {
    restoreEnv = setEnv(TEST_CREDENTIALS);
    context.reader = readerClient(context.endpoint);
    context.proxy = await startFaultProxy(context.endpoint, options);
  });
  afterAll(async () => {
    restoreEnv?.();
    context.reader.destroy();
    await context.proxy.close();
  });
  return context;
}

let counter = 0;
/** A new empty bucket with a name unique to this run. */
export async function createBucket(client: S3Client, label: string): Promise<string> {
  const name = `${label}-${process.pid}-${++counter}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  await client.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

/** Every key in `bucket` (all prefixes), sorted. */
export async function listKeys(client: S3Client, bucket: string, prefix?: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((item) => item.Key!));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

export async function getObject(client: S3Client, bucket: string, key: string) {
  const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const body = Buffer.from(await answer.Body!.transformToByteArray());
  return { ...answer, body };
}

export async function putText(client: S3Client, bucket: string, key: string, text: string): Promise<void> {
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from(text), ContentType: 'text/plain' }));
}

/** Publish the built site of `project` (no build, no checks: the fixture is the build) to `s3://bucket/prefix` at `endpoint` (else where the SDK's settings point). */
export async function publishFixture(
  project: string,
  target: { endpoint?: string; bucket: string; prefix?: string },
  options: Omit<PublishOptions, 'overrides'> & { overrides?: PublishOptions['overrides'] } = {},
): Promise<PublishReport> {
  const config = await loadConfig(project);
  return publishProject(config, {
    build: false,
    check: false,
    env: {},
    retry: { baseDelay: 1, maxDelay: 20 },
    ...options,
    overrides: { target: `s3://${target.bucket}/${target.prefix ?? ''}`, endpoint: target.endpoint, pathStyle: true, ...options.overrides },
  });
}
