/** Shared test tools: temporary projects and running the real CLI. */
import { mkdtemp, mkdir, writeFile, cp, readFile, readdir, stat } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** A temporary copy of this repository's statements and locales. */
export async function copyOfRepository(): Promise<string> {
  const dir = await makeProject();
  await cp(path.join(repoRoot, 'statements'), path.join(dir, 'statements'), { recursive: true });
  await cp(path.join(repoRoot, 'locales'), path.join(dir, 'locales'), { recursive: true });
  return dir;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `statements …` as a user would, in `cwd`. */
export function runCli(args: string[], cwd: string): CliResult {
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
