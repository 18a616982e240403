/** Shared test tools: temporary projects and running the real CLI. */
import { mkdtemp, mkdir, writeFile, cp, readFile, readdir, stat } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inWorker } from '../pipeline/project/pool.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const fixtures = path.join(repoRoot, 'test', 'fixtures');

/** A temporary project folder holding `files` (paths relative to it). */
export async function makeProject(files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'statements-test-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

/** A temporary copy of this repository's statements, locales, config and assets (the logo). */
export async function copyOfRepository(): Promise<string> {
  const dir = await makeProject();
  for (const name of ['statements', 'locales', 'assets', 'statements.config.json'])
    await cp(path.join(repoRoot, name), path.join(dir, name), { recursive: true });
  return dir;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Run `statements …` in `cwd` inside this process, output captured as text:
 * what a user sees, without the two seconds of starting node and tsx.
 */
export async function runCli(args: string[], cwd: string): Promise<CliResult> {
  // Imported here, not at the top: the CLI brings the whole library and the S3 client, which most tests using these helpers never need.
  const { main } = await import('../scripts/statements.ts');
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    cwd,
    env: { ...process.env, CI: 'true', NO_COLOR: '1' },
  });
  return { code, stdout, stderr };
}

/** Run `bin/statements.js …` as a separate process, for what only a real process shows: its exit code and its entry script. */
export function spawnCli(args: string[], cwd: string): CliResult {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'statements.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', NO_COLOR: '1' },
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export const readJson = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;

/**
 * Every file below `dir` with its content and modification time, to prove
 * nothing changed; build output and caches (`dist/`, `.cache/`) left out.
 */
export async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const name of (await readdir(dir, { recursive: true })).map(String).sort()) {
    if (/^(dist|\.cache)(\/|$)/.test(name)) continue;
    const file = path.join(dir, name);
    const info = await stat(file);
    if (info.isFile()) files.set(name, `${info.mtimeMs}:${await readFile(file, 'utf8')}`);
  }
  return files;
}

/**
 * How many times each of `files` is opened for reading while `run` runs,
 * through node:fs's synchronous functions, which are how the pipeline reads
 * (an asynchronous read counts none, so a test expecting one fails): they are
 * wrapped, and the named imports of every module follow
 * (`syncBuiltinESMExports`), until it ends.
 */
export async function countingReads<T>(files: string[], run: () => Promise<T>): Promise<{ result: T; reads: number[] }> {
  const reads = files.map(() => 0);
  const { readFileSync, openSync } = fs;
  // readFileSync opens the file through openSync: a read counts once.
  let reading = false;
  const count = (target: unknown) => {
    const index = files.indexOf(String(target));
    if (index !== -1 && !reading) reads[index]!++;
  };
  fs.readFileSync = ((target: fs.PathOrFileDescriptor, options?: Parameters<typeof readFileSync>[1]) => {
    count(target);
    reading = true;
    try {
      return readFileSync(target, options);
    } finally {
      reading = false;
    }
  }) as typeof fs.readFileSync;
  fs.openSync = ((target: fs.PathLike, flags: fs.OpenMode) => (count(target), openSync(target, flags))) as typeof fs.openSync;
  syncBuiltinESMExports();
  try {
    return { result: await run(), reads };
  } finally {
    Object.assign(fs, { readFileSync, openSync });
    syncBuiltinESMExports();
  }
}

/**
 * Run a pool task (`runInWorkers`) in one worker thread that takes every
 * item, from `bundle` when given, else through tsx; its answer.
 */
export const inOneWorker = <R>(module: URL, name: string, items: unknown[], args: unknown[], bundle?: URL): Promise<R> =>
  inWorker<R>({ module: module.href, bundle: bundle?.href, name, items, next: new Int32Array(new SharedArrayBuffer(4)), args });
