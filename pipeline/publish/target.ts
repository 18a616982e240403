/**
 * Where a site is published: an S3-compatible bucket or a local folder laid
 * out the same way. Keys are relative to the target's prefix; a target never
 * reads, writes or deletes anything outside it.
 */
import type { ObjectHeaders } from './headers.ts';

/** What the target holds for one key. */
export interface RemoteObject {
  size: number;
  /** The ETag without quotes: the hex MD5 of single-part uploads, something else with SSE-KMS or multipart. */
  etag?: string;
}

/** One object to store: the bytes and their hashes, checked again after the write. */
export interface PutRequest {
  key: string;
  body: Buffer;
  md5: string;
  /** Hex SHA-256 of `body`, signed as the payload hash. */
  sha256: string;
  headers: ObjectHeaders;
}

export interface Target {
  /** Printable description, e.g. `s3://bucket/prefix/ at http://127.0.0.1:9000`; never credentials. */
  readonly description: string;
  /** Base URL the prefix is served from, ending in `/`. */
  readonly baseUrl: string;
  /** The manifest text, or undefined when there is none. Fails clearly when the target is unusable. */
  readManifest(key: string): Promise<string | undefined>;
  /** Every object under the prefix. */
  list(): Promise<Map<string, RemoteObject>>;
  /** Store one object and verify what was stored against `md5`; throws on mismatch. Returns the stored ETag. */
  put(request: PutRequest): Promise<{ etag?: string }>;
  /** Remove one object under the prefix. */
  remove(key: string): Promise<void>;
  /** One sentence, with what to fix, for a failure reading the target before anything is written. */
  explain(error: unknown): string;
  /** Failures that mean "fix the configuration" (no bucket, wrong credentials): never retried. */
  isConfigurationError(error: unknown): boolean;
  close(): void;
}
