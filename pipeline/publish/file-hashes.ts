/**
 * Hashes of the built files, remembered by file identity (size, modification
 * and change times, inode) in `.cache/publish-hashes.json`: a file the build
 * did not rewrite is not read again, so a no-op publish of thousands of files
 * stays quick. The build writes through a temp file and a rename, so a
 * rewritten file always has a new inode and new times. Every file that is
 * uploaded is read and hashed again first (see execute.ts).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { IdentityMemo } from '../project/index.ts';

export interface FileHashes {
  size: number;
  sha256: string;
  md5: string;
  /** Front-matter title of a Markdown file. */
  title?: string;
}

type Entry = [size: number, sha256: string, md5: string, title?: string];

export function hashBytes(bytes: Uint8Array): { sha256: string; md5: string } {
  return { sha256: createHash('sha256').update(bytes).digest('hex'), md5: createHash('md5').update(bytes).digest('hex') };
}

export class FileHashMemo {
  private constructor(
    readonly memo: IdentityMemo<Entry>,
    readonly titleOf: (text: string) => string | undefined,
  ) {}

  /** The memo stored in `file` for files below `root`; without `file`, every file is read. */
  static async open(file: string | undefined, root: string, titleOf: (text: string) => string | undefined): Promise<FileHashMemo> {
    return new FileHashMemo(await IdentityMemo.open<Entry>(file, root), titleOf);
  }

  /** Hashes of the file at `absolute`, known as `key`. */
  hash(key: string, absolute: string): FileHashes {
    const { identity, value: known } = this.memo.recall(key, absolute);
    if (known) return { size: known[0], sha256: known[1], md5: known[2], title: known[3] };
    // A file that is not there throws here, as reading it would anyway.
    const bytes = readFileSync(absolute);
    const hashes: FileHashes = { size: bytes.length, ...hashBytes(bytes) };
    if (key.endsWith('.md')) hashes.title = this.titleOf(bytes.toString('utf8'));
    this.memo.set(key, identity, [hashes.size, hashes.sha256, hashes.md5, ...(hashes.title === undefined ? [] : [hashes.title])] as Entry);
    return hashes;
  }

  /** Keep only `keys` and write the memo if it changed. */
  save(keys: string[]): Promise<void> {
    const wanted = new Set(keys);
    return this.memo.save((key) => wanted.has(key));
  }
}
