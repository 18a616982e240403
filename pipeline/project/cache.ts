/**
 * Content-hash caches (`.cache/<name>.json`): a unit of work whose inputs hash
 * the same as last time, and whose outputs are still there, is skipped.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { readTextIfExists, writeFileAtomic } from './fs.ts';
import { hashText } from './bundle.ts';

/** Bumped when the cache file's shape changes. */
const FORMAT = 3;

/**
 * Hash of the pipeline's own source: a cache written by other code (an
 * upgrade, a local change) is dropped, so it never hides new work.
 */
export const TOOL = (() => {
  // Every stage's source, not only this folder's.
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const files = readdirSync(root, { recursive: true })
    .map(String)
    .filter((name) => /\.(ts|mjs|css)$/.test(name))
    .sort();
  return hashText(files.map((name) => `${name}\u0000${readFileSync(path.join(root, name), 'utf8')}`).join('\u0000'));
})();

export interface CacheEntry {
  key: string;
  /** Files the unit wrote; the unit is stale if one has gone. */
  outputs?: string[];
}

export class HashCache {
  #entries: Record<string, CacheEntry> = {};
  #dirty = false;
  private constructor(readonly file: string) {}

  static async open(cacheDir: string, name: string): Promise<HashCache> {
    const cache = new HashCache(path.join(cacheDir, `${name}.json`));
    const text = await readTextIfExists(cache.file);
    try {
      const value = text ? (JSON.parse(text) as { format?: number; tool?: string; entries?: Record<string, CacheEntry> }) : undefined;
      if (value?.format === FORMAT && value.tool === TOOL && value.entries) cache.#entries = value.entries;
    } catch {
      // A corrupt cache only costs a full run.
    }
    return cache;
  }

  /** Hash of the inputs of a unit of work. */
  static key(...inputs: Array<string | undefined>): string {
    return hashText(inputs.map((input) => `${input?.length ?? -1}:${input ?? ''}`).join('\u0000'));
  }

  /** Whether `unit` ran before, with whatever inputs. */
  has(unit: string): boolean {
    return unit in this.#entries;
  }

  /** Whether `unit` ran with inputs hashing to `key` and its outputs are all still there. */
  fresh(unit: string, key: string): boolean {
    const entry = this.#entries[unit];
    return entry?.key === key && (entry.outputs ?? []).every((file) => existsSync(file));
  }

  set(unit: string, key: string, outputs?: string[]): void {
    const entry = this.#entries[unit];
    if (entry?.key === key && JSON.stringify(entry.outputs) === JSON.stringify(outputs)) return;
    this.#entries[unit] = outputs ? { key, outputs } : { key };
    this.#dirty = true;
  }

  /** The outputs recorded for `unit`. */
  outputs(unit: string): string[] {
    return this.#entries[unit]?.outputs ?? [];
  }

  /** The entries of the units of `slugs` (`slug` and `slug/…`), to hand across threads. */
  slice(slugs: string[]): Record<string, CacheEntry> {
    const wanted = new Set(slugs);
    return Object.fromEntries(Object.entries(this.#entries).filter(([unit]) => wanted.has(unit.split('/')[0]!)));
  }

  /** Make the units of `slugs` what another thread left them as. */
  replace(slugs: string[], entries: Record<string, CacheEntry>): void {
    // Nothing built, nothing to write: a run where nothing changed leaves the file as it is.
    if (slugs.length === 0 && Object.keys(entries).length === 0) return;
    const wanted = new Set(slugs);
    for (const unit of Object.keys(this.#entries)) if (wanted.has(unit.split('/')[0]!)) delete this.#entries[unit];
    Object.assign(this.#entries, entries);
    this.#dirty = true;
  }

  delete(unit: string): void {
    if (!(unit in this.#entries)) return;
    delete this.#entries[unit];
    this.#dirty = true;
  }

  async save(): Promise<void> {
    if (!this.#dirty) return;
    const sorted = Object.fromEntries(Object.entries(this.#entries).sort(([a], [b]) => a.localeCompare(b)));
    // Compact: read by every run, never by people.
    await writeFileAtomic(this.file, `${JSON.stringify({ format: FORMAT, tool: TOOL, entries: sorted })}\n`);
    this.#dirty = false;
  }
}
