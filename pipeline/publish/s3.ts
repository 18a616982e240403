/**
 * An S3-compatible bucket as a target (AWS, MinIO, Ceph, R2, Scaleway, OVHcloud).
 *
 * The client is set up for stores other than AWS: the SDK's default trailing
 * checksums (aws-chunked bodies) are turned off, because several stores keep
 * the chunk framing as object content; instead every PUT carries Content-MD5
 * (which S3 verifies) and its ETag is compared with the local MD5. Credentials
 * come from the SDK's default provider chain only and are never printed.
 * Retries are ours (see retry.ts), so the SDK's own are off. Uploads are
 * signed requests of their own (s3-put.ts); the SDK reads, lists and deletes.
 */
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { SignedPut } from './s3-put.ts';
import { bucketEndpoint } from './s3-endpoint.ts';
import { networkCode, statusOf, briefly, type RequestFailure } from './errors.ts';
import type { PutRequest, RemoteObject, Target } from './target.ts';
import { IntegrityMismatch } from './errors.ts';
import type { S3TargetSpec } from './settings.ts';
import type { ManifestCopy } from './manifest-copy.ts';

/** The client options every S3 target uses; exported for tests that read objects back. */
export function clientConfig(
  spec: Pick<S3TargetSpec, 'endpoint' | 'region' | 'pathStyle'>,
  options: { concurrency?: number; timeout?: number } = {},
): S3ClientConfig {
  const agent = { keepAlive: true, maxSockets: options.concurrency ?? 8 };
  return {
    region: spec.region ?? (spec.endpoint ? process.env.AWS_REGION || 'us-east-1' : undefined),
    endpoint: spec.endpoint,
    forcePathStyle: spec.pathStyle,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 10_000, requestTimeout: options.timeout ?? 30_000, httpAgent: agent, httpsAgent: agent },
  };
}

/** Strip the quotes of an ETag: `"abc"` → `abc`. */
export const unquote = (etag: string | undefined) => etag?.replace(/^W\//, '').replace(/^"|"$/g, '');

export class S3Target implements Target {
  readonly description: string;
  readonly baseUrl: string;
  readonly #client: S3Client;
  readonly #uploads: SignedPut;
  readonly #manifestCopy?: ManifestCopy;
  /** The key `readManifest` was asked for: a put of it is the new manifest. */
  #manifestKey?: string;

  constructor(
    readonly spec: S3TargetSpec,
    options: { concurrency: number; timeout: number; publicUrl?: string; manifestCopy?: ManifestCopy },
  ) {
    this.#manifestCopy = options.manifestCopy;
    this.#client = new S3Client(clientConfig(spec, options));
    const config = this.#client.config;
    this.#uploads = new SignedPut({
      credentials: () => config.credentials(),
      region: () => config.region(),
      endpoint: () => bucketEndpoint(config, spec.bucket),
      concurrency: options.concurrency,
      timeout: options.timeout,
    });
    this.description = `s3://${spec.bucket}/${spec.prefix}${spec.endpoint ? ` at ${spec.endpoint}` : ''}`;
    this.baseUrl = options.publicUrl ?? publicBaseUrl(spec);
  }

  async readManifest(key: string): Promise<string | undefined> {
    this.#manifestKey = key;
    const kept = await this.#manifestCopy?.read();
    try {
      return await this.#getManifest(key, kept?.etag);
    } catch (error) {
      const status = statusOf(error);
      // 304 Not Modified: the bucket holds the manifest kept here.
      if (kept && status === 304) return kept.text;
      // A store that refuses the condition itself (412, 400…) still serves the manifest without it.
      if (kept && status !== undefined && status >= 400 && status < 500 && status !== 403 && status !== 404) return this.#getManifest(key);
      throw error;
    }
  }

  /** The manifest's text (undefined when there is none), unless the bucket's matches `etag`: then an error with status 304. The copy is kept up to date. */
  async #getManifest(key: string, etag?: string): Promise<string | undefined> {
    try {
      const answer = await this.#client.send(
        new GetObjectCommand({ Bucket: this.spec.bucket, Key: this.spec.prefix + key, IfNoneMatch: etag ? `"${etag}"` : undefined }),
      );
      const text = await answer.Body?.transformToString('utf8');
      if (text !== undefined) await this.#manifestCopy?.keep(unquote(answer.ETag), text);
      return text;
    } catch (error) {
      if ((error as RequestFailure).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async list(): Promise<Map<string, RemoteObject>> {
    const listing = new Map<string, RemoteObject>();
    let token: string | undefined;
    do {
      const page = await this.#client.send(
        new ListObjectsV2Command({ Bucket: this.spec.bucket, Prefix: this.spec.prefix || undefined, ContinuationToken: token }),
      );
      for (const item of page.Contents ?? []) {
        if (!item.Key?.startsWith(this.spec.prefix)) continue;
        listing.set(item.Key.slice(this.spec.prefix.length), { size: item.Size ?? 0, etag: unquote(item.ETag) });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return listing;
  }

  async put(request: PutRequest): Promise<{ etag?: string }> {
    const { headers } = request;
    const objectHeaders: Record<string, string> = { 'content-type': headers.contentType, 'cache-control': headers.cacheControl };
    if (headers.contentLanguage) objectHeaders['content-language'] = headers.contentLanguage;
    if (headers.contentDisposition) objectHeaders['content-disposition'] = headers.contentDisposition;
    for (const [name, value] of Object.entries(headers.metadata)) objectHeaders[`x-amz-meta-${name.toLowerCase()}`] = value;
    const answer = await this.#uploads.put(this.spec.prefix + request.key, request.body, request.sha256, request.md5, objectHeaders);
    const etag = unquote(answer.etag);
    // With SSE-KMS or SSE-C the ETag is not the MD5; S3 has checked Content-MD5 instead.
    const opaque = answer.serverSideEncryption?.startsWith('aws:kms') || answer.customerAlgorithm !== undefined;
    if (!opaque && etag !== request.md5) throw new IntegrityMismatch(request.key, request.md5, etag);
    if (request.key === this.#manifestKey) await this.#manifestCopy?.keep(etag, request.body.toString('utf8'));
    return { etag };
  }

  async remove(key: string): Promise<void> {
    if (!key || key.split('/').includes('..')) throw new Error(`Refusing to delete \`${key}\``);
    await this.#client.send(new DeleteObjectCommand({ Bucket: this.spec.bucket, Key: this.spec.prefix + key }));
  }

  explain(error: unknown): string {
    return describeS3Error(error, this.spec);
  }

  isConfigurationError(error: unknown): boolean {
    return isConfigurationError(error);
  }

  close(): void {
    this.#uploads.close();
    this.#client.destroy();
  }
}

/** Where a bucket's objects are served from when no public URL is configured. */
export function publicBaseUrl(spec: S3TargetSpec): string {
  const prefix = spec.prefix.split('/').map(encodeURIComponent).join('/');
  if (spec.endpoint) {
    const url = new URL(spec.endpoint);
    return spec.pathStyle
      ? `${url.origin}${url.pathname.replace(/\/$/, '')}/${spec.bucket}/${prefix}`
      : `${url.protocol}//${spec.bucket}.${url.host}/${prefix}`;
  }
  return `https://${spec.bucket}.s3.${spec.region ?? process.env.AWS_REGION ?? 'us-east-1'}.amazonaws.com/${prefix}`;
}

/**
 * One sentence, with what to fix, for a failure that stops a publish before
 * anything is uploaded: no credentials, wrong credentials, no bucket, an
 * unreachable endpoint, a wrong region. Credentials are never part of it.
 */
export function describeS3Error(error: unknown, spec: S3TargetSpec): string {
  const failure = (error ?? {}) as RequestFailure;
  const name = failure.name ?? '';
  const where = `\`s3://${spec.bucket}/${spec.prefix}\`${spec.endpoint ? ` at \`${spec.endpoint}\`` : ''}`;
  const code = networkCode(error);
  const status = statusOf(error);
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(failure.message ?? '')) {
    return `No credentials found for ${where}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE for a profile in ~/.aws/credentials, or run where an instance or container role applies`;
  }
  if (name === 'InvalidAccessKeyId')
    return `The store does not know the access key used for ${where} (InvalidAccessKeyId): check AWS_ACCESS_KEY_ID or the profile named by AWS_PROFILE`;
  if (name === 'SignatureDoesNotMatch')
    return `The store rejected the request signature for ${where} (SignatureDoesNotMatch): check AWS_SECRET_ACCESS_KEY, and the region (--region)`;
  if (name === 'ExpiredToken' || name === 'TokenRefreshRequired')
    return `The session token for ${where} has expired (${name}): refresh the credentials (AWS_SESSION_TOKEN or \`aws sso login\`)`;
  if (name === 'AccessDenied' || status === 403)
    return `Access denied to ${where}: the credentials need s3:ListBucket, s3:GetObject and s3:PutObject on it (and s3:DeleteObject for --delete)`;
  if (name === 'NoSuchBucket')
    return `No bucket \`${spec.bucket}\`${spec.endpoint ? ` at \`${spec.endpoint}\`` : ''}: create it, or fix the bucket name in --target (or STATEMENTS_PUBLISH_TARGET)`;
  if (name === 'PermanentRedirect' || name === 'AuthorizationHeaderMalformed' || name === 'IllegalLocationConstraintException' || status === 301) {
    return `The bucket \`${spec.bucket}\` is in another region than \`${spec.region ?? 'the default'}\` (${name || `HTTP ${status}`}): set --region (or STATEMENTS_PUBLISH_REGION) to the bucket's region`;
  }
  if (/region is missing/i.test(failure.message ?? '')) return `No region for ${where}: set --region (or STATEMENTS_PUBLISH_REGION, or AWS_REGION)`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `Cannot resolve the endpoint host for ${where} (${code}): check --endpoint (or STATEMENTS_PUBLISH_ENDPOINT) and, for a bucket name in the host name, try --path-style`;
  if (code === 'ECONNREFUSED')
    return `Cannot connect to ${spec.endpoint ? `\`${spec.endpoint}\`` : where} (ECONNREFUSED): check --endpoint (or STATEMENTS_PUBLISH_ENDPOINT) and that the store is running`;
  if (code) return `Cannot reach ${where} (${code}): check --endpoint and the network`;
  return `Cannot use ${where}: ${briefly(error)}`;
}

/** Failures that mean "fix the configuration", never worth a retry. */
export function isConfigurationError(error: unknown): boolean {
  const name = (error as RequestFailure | undefined)?.name ?? '';
  const code = networkCode(error);
  return (
    [
      'CredentialsProviderError',
      'InvalidAccessKeyId',
      'SignatureDoesNotMatch',
      'ExpiredToken',
      'AccessDenied',
      'NoSuchBucket',
      'PermanentRedirect',
      'AuthorizationHeaderMalformed',
      'InvalidBucketName',
    ].includes(name) ||
    code === 'ENOTFOUND' ||
    code === 'ECONNREFUSED'
  );
}
