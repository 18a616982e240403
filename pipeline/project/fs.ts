/**
 * Files on disk. Writes never leave a half-written file: temp files in the
 * same folder, then renames, all or nothing; the temps of a killed run are
 * cleared at the next. Unchanged content is not rewritten, so diffs and
 * mtimes stay quiet. Reads of untrusted files are strict: a size limit
 * before reading, and UTF-8 that is checked rather than patched with U+FFFD.
 */
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Point } from 'unist';

/** A file to write and its new content. */
export interface FileWrite {
  path: string;
  content: string | Uint8Array;
}

/** An I/O failure as one sentence naming the file and the cause, for people rather than stack traces. */
export class FileWriteError extends Error {
  /** The errno code (`EACCES`), so callers can tell a setup problem from a passing one. */
  readonly code?: string;
  constructor(
    readonly path: string,
    cause: unknown,
    root?: string,
  ) {
    const shown = root === undefined ? path : relativePath(root, path);
    super(`Cannot write \`${shown}\`: ${describeIoError(cause)}`, { cause });
    this.name = 'FileWriteError';
    this.code = (cause as NodeJS.ErrnoException).code;
  }
}

/** `permission denied (EACCES)` from Node's `EACCES: permission denied, open '…'`. */
export function describeIoError(caught: unknown): string {
  const { code, message } = caught as NodeJS.ErrnoException;
  const description = code ? new RegExp(`^${code}: ([^,]+)`).exec(message)?.[1] : undefined;
  return description ? `${description} (${code})` : message;
}

/** What each system call was doing, in words. */
const DOING: Record<string, string> = {
  open: 'open',
  read: 'read',
  scandir: 'read',
  stat: 'read',
  lstat: 'read',
  write: 'write',
  rename: 'write',
  copyfile: 'copy',
  mkdir: 'create',
  unlink: 'remove',
  rmdir: 'remove',
  rm: 'remove',
};

/**
 * A file-system error as one sentence, "Cannot write `locales/nl/x.json`:
 * permission denied (EACCES)"; undefined for any other error.
 */
export function explainIoError(caught: unknown, cwd: string): string | undefined {
  if (caught instanceof FileWriteError) return caught.message;
  const failure = caught as (NodeJS.ErrnoException & { dest?: unknown }) | undefined;
  if (typeof failure?.code !== 'string' || typeof failure.path !== 'string') return undefined;
  const target = typeof failure.dest === 'string' ? failure.dest : failure.path;
  return `Cannot ${DOING[failure.syscall ?? ''] ?? 'access'} \`${path.relative(cwd, target) || target}\`: ${describeIoError(failure)}`;
}

const relativePath = (root: string, file: string) => path.relative(root, file).split(path.sep).join('/');

/**
 * Write every file or none: all temp files first, then the renames in the
 * order given, so the caller puts last the file that vouches for the others
 * (a statement's state after its bundles). A failed temp write removes every
 * temp and changes nothing. A rewritten file keeps its mode. Errors are
 * `FileWriteError`s; `root` shortens the path they name.
 */
export async function writeFilesAtomic(writes: FileWrite[], root?: string): Promise<void> {
  const temps = await Promise.allSettled(writes.map((write) => writeTemp(write, root)));
  const failed = temps.find((temp) => temp.status === 'rejected');
  if (failed) {
    await Promise.all(temps.map((temp) => temp.status === 'fulfilled' && rm(temp.value, { force: true })));
    throw failed.reason;
  }
  const ready = temps.map((temp) => (temp as PromiseFulfilledResult<string>).value);
  for (const [index, write] of writes.entries()) {
    try {
      await rename(ready[index]!, write.path);
    } catch (caught) {
      await Promise.all(ready.slice(index).map((temp) => rm(temp, { force: true })));
      throw new FileWriteError(write.path, caught, root);
    }
  }
}

/** Write `content` to `file` atomically. */
export async function writeFileAtomic(file: string, content: string | Uint8Array): Promise<void> {
  await writeFilesAtomic([{ path: file, content }]);
}

/** Write a temp file beside `write.path` with the mode of the file it will replace; returns its path. */
async function writeTemp(write: FileWrite, root?: string): Promise<string> {
  const temp = `${write.path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  markWriting();
  try {
    await mkdir(path.dirname(write.path), { recursive: true });
    const mode = await modeOf(write.path);
    await writeFile(temp, write.content);
    // Set after writing: a read-only (0444) bundle stays read-only, and the umask does not narrow a 0664 one.
    if (mode !== undefined) await chmod(temp, mode);
    return temp;
  } catch (caught) {
    await rm(temp, { force: true });
    throw new FileWriteError(write.path, caught, root);
  }
}

async function modeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).mode & 0o777;
  } catch (caught) {
    if ((caught as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw caught;
  }
}

/** `<file>.tmp-<pid>-<random>`: the temps written here (hex) and by the parse cache (base 36). */
const TEMP = /\.tmp-(\d+)-[0-9a-z]+$/;

/** Whether `name` is a temp file of a write in progress (or of a killed run): never content. */
export const isTempName = (name: string) => TEMP.test(name);

/**
 * Remove the temp files below `dirs` that a process which no longer runs
 * left behind (killed between write and rename). Temps of running processes,
 * this one's worker threads included, are theirs to rename. Best effort: a
 * leftover temp is clutter, not damage, so a folder or file that cannot be
 * cleaned never stops the run.
 */
export async function removeStaleTemps(dirs: string[]): Promise<void> {
  for (const dir of dirs) {
    let names: string[];
    try {
      names = (await readdir(dir, { recursive: true })).map(String);
    } catch {
      continue;
    }
    for (const name of names) {
      const match = TEMP.exec(name);
      if (match && !isRunning(Number(match[1]))) await rm(path.join(dir, name), { force: true }).catch(() => undefined);
    }
  }
}

/**
 * Run `task`, which writes with temp files, marked as running in
 * `<cacheDir>/runs/<pid>`. A marker whose process is gone tells that a run was
 * killed, perhaps between writing a temp and renaming it: only then are
 * `dirs` scanned for the temps of dead processes, so a normal run pays one
 * small folder listing, not a walk of the whole site. The marker is made
 * when the run writes its first temp (`markWriting`): a run that finds
 * nothing to write creates and deletes no file at all.
 */
export async function whileWriting<T>(cacheDir: string, dirs: string[], task: () => Promise<T>): Promise<T> {
  const runs = path.join(cacheDir, 'runs');
  const killed = (await readdir(runs).catch(() => [] as string[])).filter((name) => /^\d+$/.test(name) && !isRunning(Number(name)));
  if (killed.length > 0) {
    await removeStaleTemps(dirs);
    await Promise.all(killed.map((name) => rm(path.join(runs, name), { force: true })));
  }
  const marker = path.join(runs, String(process.pid));
  // Runs of one process share its marker (publish builds, tests run commands side by side): the last one out removes it.
  const run = runsInProgress.get(marker) ?? { runs: 0, made: false };
  run.runs++;
  runsInProgress.set(marker, run);
  try {
    return await task();
  } finally {
    if (--run.runs === 0) {
      runsInProgress.delete(marker);
      if (run.made) await rm(marker, { force: true });
    }
  }
}

/** The markers of this thread's runs in progress, and whether each is on disk yet. */
const runsInProgress = new Map<string, { runs: number; made: boolean }>();

/**
 * Put the markers of the runs in progress on disk, before a temp file is
 * written (or before worker threads, which write their own, start).
 * Synchronous, so that no temp can exist before its marker.
 */
export function markWriting(): void {
  for (const [marker, run] of runsInProgress) {
    if (run.made) continue;
    mkdirSync(path.dirname(marker), { recursive: true });
    writeFileSync(marker, '');
    run.made = true;
  }
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (caught) {
    // EPERM: the process exists but belongs to another user.
    return (caught as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Write only when the content differs; returns whether the file changed. */
export async function writeIfChanged(file: string, content: string | Uint8Array): Promise<boolean> {
  if (typeof content === 'string' ? (await readTextIfExists(file)) === content : await sameBytes(file, content)) return false;
  await writeFileAtomic(file, content);
  return true;
}

async function sameBytes(file: string, content: Uint8Array): Promise<boolean> {
  try {
    return Buffer.from(content).equals(readFileSync(file));
  } catch {
    return false;
  }
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

/**
 * The file's bytes and size, or undefined when it does not exist. A file
 * over `limit` bytes is not read (its size says why), so a huge file costs
 * nothing before it is refused.
 */
export async function readBytesIfExists(file: string, limit: number): Promise<{ size: number; bytes?: Buffer } | undefined> {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const { size } = fstatSync(fd);
    return size > limit ? { size } : { size, bytes: readFileSync(fd) };
  } finally {
    closeSync(fd);
  }
}

const strict = new TextDecoder('utf-8', { fatal: true });
// Keeps a BOM as U+FEFF, so that counting bytes back from the text stays exact.
const lenient = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Strict UTF-8: the text, or the line and column of the first byte that is
 * not UTF-8 (and that byte), where a lenient decoder would put U+FFFD without
 * a word. A BOM is kept, as `readFile(…, 'utf8')` keeps it.
 */
export function decodeUtf8(bytes: Uint8Array): { text: string } | { place: Point; byte: number } {
  try {
    return { text: strict.decode(bytes) };
  } catch {
    // The decoder does not say where: walk the lenient decoding, which is exact up to the first replacement.
    let offset = 0;
    let index = 0;
    let line = 1;
    let lineStart = 0;
    let previous = 0;
    for (const char of lenient.decode(bytes)) {
      const code = char.codePointAt(0)!;
      if (code === 0xfffd && !(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) break;
      if (code === 0x0d || (code === 0x0a && previous !== 0x0d)) line++;
      if (code === 0x0d || code === 0x0a) lineStart = index + 1;
      offset += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      index += char.length;
      previous = code;
    }
    return { place: { line, column: index - lineStart + 1, offset: index }, byte: bytes[offset] ?? 0 };
  }
}

/** Deterministic JSON as committed to the repository: 2 spaces, trailing newline. */
export function stringifyJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
