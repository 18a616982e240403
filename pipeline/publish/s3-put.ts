/**
 * Uploads as one signed request each (AWS Signature Version 4 over
 * node:http), without the SDK's per-request middleware: that cost about
 * 3 ms of CPU per object, five times the request itself, and made a full
 * publish of thousands of small files wait on our own CPU rather than on the
 * store. The SDK still resolves the credentials, the region and where each
 * object goes (s3-endpoint.ts), and does every other request (manifest,
 * listing, deletions).
 *
 * The body's SHA-256 is known from the scan, so it is signed as it is
 * (never UNSIGNED-PAYLOAD), and Content-MD5 lets the store check the bytes.
 */
import http from 'node:http';
import https from 'node:https';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { objectUrl, type BucketEndpoint } from './s3-endpoint.ts';

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SignedPutOptions {
  /** Resolved by the SDK: its provider chain and region settings. */
  credentials: () => Promise<SigningCredentials>;
  region: () => Promise<string>;
  /** Where the SDK would send a PutObject to the bucket, and the signing scope it asks for; asked once. */
  endpoint: () => Promise<BucketEndpoint>;
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

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData): string | Uint8Array =>
  typeof data === 'string' ? data : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);

/** SHA-256 (HMAC with a secret) from node:crypto, as the SDK's signer asks for it. */
class Sha256 {
  readonly #hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.#hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.#hash.digest();
  }
}

export class SignedPut {
  readonly #agents: { http: http.Agent; https: https.Agent };
  /** The SDK's own Signature Version 4 signer (it caches the day's signing key); S3 paths are signed as encoded, once. */
  readonly #signer: SignatureV4;
  #endpoint?: Promise<BucketEndpoint>;

  constructor(readonly options: SignedPutOptions) {
    const agent = { keepAlive: true, maxSockets: options.concurrency };
    this.#agents = { http: new http.Agent(agent), https: new https.Agent(agent) };
    this.#signer = new SignatureV4({ service: 's3', region: options.region, credentials: options.credentials, sha256: Sha256, uriEscapePath: false });
  }

  /** Store `body` under the full `key`; `headers` are the object's own (content type, metadata as `x-amz-meta-*`…). */
  async put(key: string, body: Buffer, sha256: string, md5: string, headers: Record<string, string>): Promise<SignedPutAnswer> {
    const endpoint = await (this.#endpoint ??= this.options.endpoint());
    const url = objectUrl(endpoint, key);
    const unsigned: Record<string, string> = {
      ...endpoint.headers,
      host: url.host,
      'content-length': String(body.length),
      'content-md5': Buffer.from(md5, 'hex').toString('base64'),
      // Known from the scan: the signer takes it as the payload's hash instead of hashing the body again.
      'x-amz-content-sha256': sha256,
    };
    for (const [name, value] of Object.entries(headers)) unsigned[name.toLowerCase()] = value.trim().replace(/\s+/g, ' ');
    const signed = await this.#signer.sign(
      {
        method: 'PUT',
        protocol: url.protocol,
        hostname: url.hostname,
        port: Number(url.port) || undefined,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: unsigned,
      },
      { signingRegion: endpoint.signingRegion, signingService: endpoint.signingName },
    );
    const answer = await this.#send(url, signed.headers, body);
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
