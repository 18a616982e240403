/**
 * Values computed from a file's content, remembered by the file's identity
 * (size, modification and change times, inode), as git decides a clean work
 * tree from stats: a file whose identity is unchanged is not read again. A
 * write through a temp file and a rename gives a new inode, and any other
 * write a new change time, so a changed file never keeps its identity.
 */
import { statSync } from 'node:fs';
import { readTextIfExists, writeFileAtomic } from './fs.ts';

type Entry<V> = [identity: string, value: V];

const FORMAT = 1;

export class IdentityMemo<V> {
  #entries: Record<string, Entry<V>> = {};
  /** Keys this run asked for: they are current. */
  #seen = new Set<string>();
  #dirty = false;
  private constructor(
    readonly file: string | undefined,
    readonly salt: string,
  ) {}

  /**
   * The memo stored in `file`, if it was written with the same `salt` (what
   * else the values depend on, such as a root folder or size limits);
   * without `file`, nothing is remembered.
   */
  static async open<V>(file: string | undefined, salt: string): Promise<IdentityMemo<V>> {
    const memo = new IdentityMemo<V>(file, salt);
    const text = file ? await readTextIfExists(file) : undefined;
    try {
      const value = text ? (JSON.parse(text) as { format?: number; salt?: string; entries?: Record<string, Entry<V>> }) : undefined;
      if (value?.format === FORMAT && value.salt === salt && value.entries) memo.#entries = value.entries;
    } catch {
      // A corrupt memo only costs reading every file once.
    }
    return memo;
  }

  /**
   * The file at `absolute`, known as `key`: its identity now (none when there
   * is no such file) and the value remembered for it, if that was computed
   * from the file as it is. Synchronous: a stat of each of thousands of files
   * through the thread pool costs several times the stat itself.
   */
  recall(key: string, absolute: string): { identity?: string; value?: V } {
    const info = statSync(absolute, { throwIfNoEntry: false });
    if (!info) return {};
    const identity = `${info.size}:${info.mtimeMs}:${info.ctimeMs}:${info.ino}`;
    this.#seen.add(key);
    const known = this.#entries[key];
    return { identity, value: known && known[0] === identity ? known[1] : undefined };
  }

  /** Remember `value` for the file as `recall` found it; nothing for a file that was not there. */
  set(key: string, identity: string | undefined, value: V): void {
    if (identity === undefined) return;
    this.#entries[key] = [identity, value];
    this.#dirty = true;
  }

  /** Forget the keys `keep` refuses among those this run did not ask for, then write the memo if it changed. */
  async save(keep: (key: string) => boolean = () => true): Promise<void> {
    for (const key of Object.keys(this.#entries)) {
      if (this.#seen.has(key) || keep(key)) continue;
      delete this.#entries[key];
      this.#dirty = true;
    }
    if (!this.file || !this.#dirty) return;
    await writeFileAtomic(this.file, `${JSON.stringify({ format: FORMAT, salt: this.salt, entries: this.#entries })}\n`);
    this.#dirty = false;
  }
}
