/**
 * A real S3-compatible server (s3rver) on a free port of 127.0.0.1, for the
 * publish tests and the publish benchmark. It runs as a child process with
 * `--openssl-legacy-provider`, without which its ListObjectsV2 paging
 * answers 500.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';

export interface S3rverProcess {
  endpoint: string;
  stop(): Promise<void>;
}

/** Start s3rver on a free port of 127.0.0.1, storing into `dir`. */
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
