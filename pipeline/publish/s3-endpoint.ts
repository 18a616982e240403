/**
 * Where the SDK's S3 client would send a PutObject, so that the signed
 * uploads of s3-put.ts go exactly there. The endpoint is the client's own
 * resolution, by the function its endpoint middleware calls with the
 * parameters PutObject declares: the endpoint setting, else
 * `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL` or the shared config's
 * `endpoint_url`; FIPS and dual-stack; path or virtual-hosted style; the
 * region. Only the key is added here, as the SDK's serializer adds it.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getEndpointFromInstructions } from '@smithy/core/endpoints';
import { extendedEncodeURIComponent } from '@smithy/core/protocols';

/** Where a bucket's objects are written, and how requests to it are signed. */
export interface BucketEndpoint {
  /** The bucket in the host name (virtual-hosted) or as the first path segment (path style). */
  url: URL;
  /** Headers the endpoint asks every request to carry (custom endpoints may set some). */
  headers: Record<string, string>;
  /** The Signature Version 4 scope the endpoint asks for, when it names one. */
  signingRegion?: string;
  signingName?: string;
}

/**
 * Resolve a bucket's PutObject endpoint. The key is left out: S3's endpoint
 * rules never read it (the SDK's own endpoint cache leaves it out of its
 * cache key), so one resolution serves every object of a publish. Throws
 * when the endpoint needs a signature other than Signature Version 4 (S3
 * Express directory buckets, multi-region access points).
 */
export async function bucketEndpoint(config: S3Client['config'], bucket: string): Promise<BucketEndpoint> {
  // A copy, as the middleware passes: settling the endpoint from `endpoint_url` changes the copy, not the client.
  const endpoint = await getEndpointFromInstructions({ Bucket: bucket }, PutObjectCommand, { ...config });
  const scheme = endpoint.properties?.authSchemes?.[0];
  if (scheme && scheme.name !== 'sigv4') {
    throw new Error(`The endpoint of bucket \`${bucket}\` asks for \`${scheme.name}\` signatures; uploads are signed with Signature Version 4 only`);
  }
  const headers = Object.fromEntries(Object.entries(endpoint.headers ?? {}).map(([name, values]) => [name.toLowerCase(), values.join(', ')]));
  return { url: new URL(endpoint.url), headers, signingRegion: scheme?.signingRegion, signingName: scheme?.signingName };
}

/** An object's URL below its bucket's endpoint: PutObject's binding is `PUT /{Key+}`, each key segment encoded and `/` kept. */
export function objectUrl(endpoint: BucketEndpoint, key: string): URL {
  const url = new URL(endpoint.url);
  const keyPath = `/${key.split('/').map(extendedEncodeURIComponent).join('/')}`;
  url.pathname = url.pathname === '/' ? keyPath : url.pathname + keyPath;
  return url;
}
