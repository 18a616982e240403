/**
 * Hashes of the built files, remembered by file identity (size, modification
 * and change times, inode) in `.cache/publish-hashes.json`: a file the build
 * did not rewrite is not read again, so a no-op publish of thousands of files
 * stays quick. The build writes through a temp file and a rename, so a
 * rewritten file always has a new inode and new times. Every file that is
 * uploaded is read and hashed again first (see execute.ts).
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { readTextIfExists, writeFileAtomic } from '../project/index.ts';

export interface FileHashes {
  size: number;
  sha256: string;
  md5: string;
  /** Front-matter title of a Markdown file. */
  title?: string;
}

type Entry = [signature: string, size: number, sha256: string, md5: string, title?: string];

const FORMAT = 1;

export function hashBytes(bytes: Uint8Array): { sha256: string; md5: string } {
  return { sha256: createHash('sha256').update(bytes).digest('hex'), md5: createHash('md5').update(bytes).digest('hex') };
}

export class FileHashMemo {
  #entries: Record<string, Entry> = {};
  #dirty = false;
  private constructor(
    readonly file: string | undefined,
    readonly root: string,
    readonly titleOf: (text: string) => string | undefined,
  ) {}

  /** The memo stored in `file` for files below `root`; without `file`, every file is read. */
  static async open(file: string | undefined, root: string, titleOf: (text: string) => string | undefined): Promise<FileHashMemo> {
    const memo = new FileHashMemo(file, root, titleOf);
    const text = file ? await readTextIfExists(file) : undefined;
    try {
      const value = text ? (JSON.parse(text) as { format?: number; root?: string; entries?: Record<string, Entry> }) : undefined;
      if (value?.format === FORMAT && value.root === root && value.entries) memo.#entries = value.entries;
    } catch {
      // A corrupt memo only costs reading every file once.
    }
    return memo;
  }

  /**
   * Hashes of the file at `absolute`, known as `key`. Synchronous: a stat of
   * each of thousands of files through the thread pool costs several times
   * the stat itself, and a no-op publish is mostly these stats.
   */
  hash(key: string, absolute: string): FileHashes {
    const info = statSync(absolute);
    const signature = `${info.size}:${info.mtimeMs}:${info.ctimeMs}:${info.ino}`;
    const known = this.#entries[key];
    if (known && known[0] === signature) return { size: known[1], sha256: known[2], md5: known[3], title: known[4] };
    const bytes = readFileSync(absolute);
    const hashes: FileHashes = { size: bytes.length, ...hashBytes(bytes) };
    if (key.endsWith('.md')) hashes.title = this.titleOf(bytes.toString('utf8'));
    this.#entries[key] = [signature, hashes.size, hashes.sha256, hashes.md5, ...(hashes.title === undefined ? [] : [hashes.title])] as Entry;
    this.#dirty = true;
    return hashes;
  }

  /** Keep only `keys` and write the memo if it changed. */
  async save(keys: string[]): Promise<void> {
    const wanted = new Set(keys);
    for (const key of Object.keys(this.#entries)) {
      if (wanted.has(key)) continue;
      delete this.#entries[key];
      this.#dirty = true;
    }
    if (!this.file || !this.#dirty) return;
    await writeFileAtomic(this.file, `${JSON.stringify({ format: FORMAT, root: this.root, entries: this.#entries })}\n`);
    this.#dirty = false;
  }
}
