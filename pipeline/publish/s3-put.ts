/**
 * Uploads as one signed request each (AWS Signature Version 4 over
 * node:http), without the SDK's per-request middleware: that cost about
 * 3 ms of CPU per object, five times the request itself, and made a full
 * publish of thousands of small files wait on our own CPU rather than on the
 * store. The SDK still resolves the credentials and the region and does
 * every other request (manifest, listing, deletions).
 *
 * The body's SHA-256 is known from the scan, so it is signed as it is
 * (never UNSIGNED-PAYLOAD), and Content-MD5 lets the store check the bytes.
 */
import http from 'node:http';
import https from 'node:https';
import { createHash, createHmac } from 'node:crypto';
import type { S3TargetSpec } from './settings.ts';

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SignedPutOptions {
  /** Resolved by the SDK: its provider chain and region settings. */
  credentials: () => Promise<SigningCredentials>;
  region: () => Promise<string>;
  concurrency: number;
  /** Milliseconds without progress before a request fails. */
  timeout: number;
}

export interface SignedPutAnswer {
  etag?: string;
  /** `x-amz-server-side-encryption` (`AES256`, `aws:kms`…), when the store reports it. */
  serverSideEncryption?: string;
  /** `x-amz-server-side-encryption-customer-algorithm`: SSE-C. */
  customerAlgorithm?: string;
}

/** A store's error answer, shaped like the SDK's so that retries and messages treat both alike. */
export class StoreFailure extends Error {
  readonly $metadata: { httpStatusCode: number };
  readonly $fault: 'client' | 'server';
  constructor(name: string, message: string, status: number) {
    super(message);
    this.name = name;
    this.$metadata = { httpStatusCode: status };
    this.$fault = status >= 500 ? 'server' : 'client';
  }
}

/** RFC 3986 encoding of one path segment, as Signature Version 4 canonicalizes it. */
const encodeSegment = (segment: string) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/**
 * Where an object is written: the endpoint (or AWS's regional one) with the
 * bucket in the path (path style, or a bucket name that is no valid host
 * name over TLS) or in the host name.
 */
export function objectLocation(spec: Pick<S3TargetSpec, 'endpoint' | 'bucket' | 'pathStyle'>, region: string, key: string): URL {
  const base = new URL(spec.endpoint ?? `https://s3.${region}.amazonaws.com`);
  const keyPath = key.split('/').map(encodeSegment).join('/');
  const root = base.pathname.replace(/\/$/, '');
  const pathStyle = spec.pathStyle || (base.protocol === 'https:' && spec.bucket.includes('.'));
  if (pathStyle) return new URL(`${base.origin}${root}/${encodeSegment(spec.bucket)}/${keyPath}`);
  return new URL(`${base.protocol}//${spec.bucket}.${base.host}${root}/${keyPath}`);
}

export class SignedPut {
  readonly #agents: { http: http.Agent; https: https.Agent };
  #signingKey?: { day: string; region: string; secret: string; key: Buffer };

  constructor(
    readonly spec: S3TargetSpec,
    readonly options: SignedPutOptions,
  ) {
    const agent = { keepAlive: true, maxSockets: options.concurrency };
    this.#agents = { http: new http.Agent(agent), https: new https.Agent(agent) };
  }

  /** Store `body` under the full `key`; `headers` are the object's own (content type, metadata as `x-amz-meta-*`…). */
  async put(key: string, body: Buffer, sha256: string, md5: string, headers: Record<string, string>): Promise<SignedPutAnswer> {
    const [credentials, region] = await Promise.all([this.options.credentials(), this.options.region()]);
    const url = objectLocation(this.spec, region, key);
    const date = new Date().toISOString().replace(/[:-]|\.\d{3}/g, '');
    const all: Record<string, string> = {
      host: url.host,
      'content-length': String(body.length),
      'content-md5': Buffer.from(md5, 'hex').toString('base64'),
      'x-amz-content-sha256': sha256,
      'x-amz-date': date,
      ...(credentials.sessionToken ? { 'x-amz-security-token': credentials.sessionToken } : {}),
    };
    for (const [name, value] of Object.entries(headers)) all[name.toLowerCase()] = value.trim().replace(/\s+/g, ' ');
    all.authorization = this.#authorization(url.pathname, all, credentials, region, date);
    const answer = await this.#send(url, all, body);
    if (answer.status < 200 || answer.status > 299) throw failure(answer.status, answer.body);
    const header = (name: string) => {
      const value = answer.headers[name];
      return typeof value === 'string' ? value : undefined;
    };
    return {
      etag: header('etag'),
      serverSideEncryption: header('x-amz-server-side-encryption'),
      customerAlgorithm: header('x-amz-server-side-encryption-customer-algorithm'),
    };
  }

  /** Every header is signed (S3 wants each `x-amz-*` one signed; the others cost nothing to add). */
  #authorization(path: string, headers: Record<string, string>, credentials: SigningCredentials, region: string, date: string): string {
    const names = Object.keys(headers).sort();
    const signed = names.join(';');
    const canonical = ['PUT', path, '', ...names.map((name) => `${name}:${headers[name]}`), '', signed, headers['x-amz-content-sha256']].join('\n');
    const day = date.slice(0, 8);
    const scope = `${day}/${region}/s3/aws4_request`;
    const toSign = ['AWS4-HMAC-SHA256', date, scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
    const signature = createHmac('sha256', this.#key(day, region, credentials.secretAccessKey))
      .update(toSign)
      .digest('hex');
    return `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signed}, Signature=${signature}`;
  }

  /** The signing key of a day and region: the same for every request of a publish. */
  #key(day: string, region: string, secret: string): Buffer {
    const known = this.#signingKey;
    if (known && known.day === day && known.region === region && known.secret === secret) return known.key;
    const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), 's3'), 'aws4_request');
    this.#signingKey = { day, region, secret, key };
    return key;
  }

  #send(url: URL, headers: Record<string, string>, body: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
    const secure = url.protocol === 'https:';
    const request = (secure ? https : http).request;
    return new Promise((resolve, reject) => {
      const outgoing = request(
        url,
        { method: 'PUT', headers, agent: secure ? this.#agents.https : this.#agents.http, timeout: this.options.timeout },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', reject);
        },
      );
      outgoing.on('timeout', () => outgoing.destroy(Object.assign(new Error(`No answer within ${this.options.timeout} ms`), { code: 'ETIMEDOUT' })));
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  close(): void {
    this.#agents.http.destroy();
    this.#agents.https.destroy();
  }
}

/** The store's `<Error><Code>…</Code><Message>…</Message></Error>` as a failure; the status alone when there is none. */
function failure(status: number, body: string): StoreFailure {
  const field = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(body)?.[1];
  return new StoreFailure(field('Code') ?? 'UnknownError', field('Message') ?? `HTTP ${status}`, status);
}
