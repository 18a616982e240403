/**
 * Writes that never leave a half-written file: temp file in the same folder,
 * then rename. Unchanged content is not rewritten, so diffs and mtimes stay quiet.
 */
import { readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

/** Write `content` to `file` atomically. */
export async function writeFileAtomic(file: string, content: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(temp, content);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Write only when the content differs; returns whether the file changed. */
export async function writeIfChanged(file: string, content: string): Promise<boolean> {
  if ((await readTextIfExists(file)) === content) return false;
  await writeFileAtomic(file, content);
  return true;
}

/**
 * The file's text, or undefined when it does not exist. Read synchronously:
 * statements and bundles are small, and one blocking read is several times
 * cheaper than the open/stat/read/close round trips of an async one.
 */
export async function readTextIfExists(file: string): Promise<string | undefined> {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Deterministic JSON as committed to the repository: 2 spaces, trailing newline. */
export function stringifyJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
