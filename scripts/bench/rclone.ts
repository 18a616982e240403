/**
 * rclone, what a user would run instead of `statements publish`:
 * `rclone sync --checksum --transfers 16` of the built site to an S3
 * endpoint (configured through environment variables only, no config file).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { installed, NOT_INSTALLED } from './summary.ts';

export interface S3Endpoint {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface Rclone {
  /** Sync `dir` to `prefix` of the bucket; the milliseconds taken. */
  sync(dir: string, prefix: string): number;
  close(): Promise<void>;
}

/** rclone set up for `s3`; a string when rclone is absent. */
export async function rclone(s3: S3Endpoint): Promise<Rclone | string> {
  if (!installed('rclone', ['version'])) return NOT_INSTALLED;
  const home = await mkdtemp(path.join(tmpdir(), 'statements-bench-rclone-'));
  const config = path.join(home, 'rclone.conf');
  await writeFile(config, '');
  // The endpoint is plain HTTP on loopback; rclone's AWS SDK refuses to start when AWS_CA_BUNDLE is set with its own transport.
  const { AWS_CA_BUNDLE: _unused, ...inherited } = process.env;
  const env = {
    ...inherited,
    RCLONE_CONFIG: config,
    RCLONE_CONFIG_BENCH_TYPE: 's3',
    RCLONE_CONFIG_BENCH_PROVIDER: 'Other',
    RCLONE_CONFIG_BENCH_ENDPOINT: s3.endpoint,
    RCLONE_CONFIG_BENCH_REGION: 'us-east-1',
    RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE: 'true',
    RCLONE_CONFIG_BENCH_ACCESS_KEY_ID: s3.accessKeyId,
    RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY: s3.secretAccessKey,
  };
  return {
    sync(dir, prefix) {
      const started = performance.now();
      const result = spawnSync('rclone', ['sync', '--checksum', '--transfers', '16', dir, `bench:${s3.bucket}/${prefix}`], {
        env,
        encoding: 'utf8',
        timeout: 900_000,
      });
      if (result.status !== 0) throw new Error(`rclone sync failed: ${(result.stderr || result.error?.message || '').trim().split('\n').at(-1)}`);
      return performance.now() - started;
    },
    close: () => rm(home, { recursive: true, force: true }),
  };
}
