/**
 * vitest globalSetup: a real S3-compatible server (s3rver) on a free port of
 * 127.0.0.1 with a temporary data folder, for the publish tests. It runs as a
 * child process with `--openssl-legacy-provider`, without which its
 * ListObjectsV2 paging answers 500. Tests read the endpoint with
 * `inject('s3Endpoint')` and create their own buckets.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://127.0.0.1:<port>` of the s3rver process. */
    s3Endpoint: string;
  }
}

export interface S3rverProcess {
  endpoint: string;
  stop(): Promise<void>;
}

/** Start s3rver on a free port of 127.0.0.1, storing into `dir`. Also used by the publish benchmark. */
export async function startS3rver(dir: string): Promise<S3rverProcess> {
  const bin = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
  const child = spawn(process.execPath, ['--openssl-legacy-provider', bin, '--directory', dir, '--address', '127.0.0.1', '--port', '0', '--silent'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on [\d.]+:(\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`s3rver exited with code ${code} before listening:\n${output}`)));
    child.once('error', reject);
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill();
      await once(child, 'exit');
    },
  };
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
