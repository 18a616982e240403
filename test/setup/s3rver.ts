/**
 * vitest globalSetup: the s3rver of scripts/servers on 127.0.0.1 with a
 * temporary data folder, for the publish tests. Tests read the endpoint with
 * `inject('s3Endpoint')` and create their own buckets.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { startS3rver } from '../../scripts/servers/s3rver.ts';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://127.0.0.1:<port>` of the s3rver process. */
    s3Endpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 's3rver-'));
  const server = await startS3rver(dir);
  project.provide('s3Endpoint', server.endpoint);
  return async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
