/**
 * The site manifest (`.cache/site.json`): title, date and summary of every
 * statement × locale built, and the image files each statement uses. The
 * index pages and feeds are rendered from it, so a statement skipped by the
 * build cache is still listed; the images are part of its cache key.
 */
import path from 'node:path';
import { readTextIfExists, writeFileAtomic } from '../project/index.ts';
import type { PageEntry } from './site.ts';
import type { Locale, VersionDates } from '../types.ts';

const FORMAT = 1;

export interface StatementRecord {
  /** Image files (relative to the project root) the statement references. */
  images: string[];
  pages: Record<Locale, PageEntry>;
}

export class SiteManifest {
  #statements: Record<string, StatementRecord> = {};
  /** The last publish's dates of each version, `<lng>/<slug>` → dates: what builds date versions against. */
  #published: Record<string, VersionDates> = {};
  #dirty = false;
  private constructor(
    readonly file: string,
    readonly root: string,
  ) {}

  static async open(cacheDir: string, root: string): Promise<SiteManifest> {
    const manifest = new SiteManifest(path.join(cacheDir, 'site.json'), root);
    const text = await readTextIfExists(manifest.file);
    try {
      const value = text
        ? (JSON.parse(text) as { format?: number; statements?: Record<string, StatementRecord>; published?: Record<string, VersionDates> })
        : undefined;
      if (value?.format === FORMAT && value.statements) manifest.#statements = value.statements;
      if (value?.format === FORMAT && value.published) manifest.#published = value.published;
    } catch {
      // A corrupt manifest only costs a full build.
    }
    return manifest;
  }

  /** Absolute paths of the images `slug` used when last built. */
  images(slug: string): string[] {
    return (this.#statements[slug]?.images ?? []).map((file) => path.resolve(this.root, file));
  }

  setImages(slug: string, files: string[]): void {
    const images = files.map((file) => path.relative(this.root, file).split(path.sep).join('/'));
    const record = (this.#statements[slug] ??= { images: [], pages: {} });
    if (JSON.stringify(record.images) === JSON.stringify(images)) return;
    record.images = images;
    this.#dirty = true;
  }

  /** The locales of `slug` the manifest lists. */
  locales(slug: string): Locale[] {
    return Object.keys(this.#statements[slug]?.pages ?? {});
  }

  has(slug: string, locale: Locale): boolean {
    return Boolean(this.#statements[slug]?.pages[locale]);
  }

  set(entry: PageEntry): void {
    const record = (this.#statements[entry.slug] ??= { images: [], pages: {} });
    if (JSON.stringify(record.pages[entry.locale]) === JSON.stringify(entry)) return;
    record.pages[entry.locale] = entry;
    this.#dirty = true;
  }

  /** Forget the pages of `slug` in `locales`: they are no longer built. */
  withdraw(slug: string, locales: Locale[]): void {
    const record = this.#statements[slug];
    for (const locale of locales.filter((lng) => record?.pages[lng])) {
      delete record!.pages[locale];
      this.#dirty = true;
    }
  }

  /** The records of `slugs`, to hand across threads. */
  slice(slugs: string[]): Record<string, StatementRecord> {
    return Object.fromEntries(slugs.flatMap((slug) => (this.#statements[slug] ? [[slug, this.#statements[slug]]] : [])));
  }

  /** Make the records of `slugs` what another thread left them as. */
  replace(slugs: string[], records: Record<string, StatementRecord>): void {
    // Nothing built, nothing to write: a run where nothing changed leaves the file as it is.
    if (slugs.length === 0 && Object.keys(records).length === 0) return;
    for (const slug of slugs) delete this.#statements[slug];
    Object.assign(this.#statements, records);
    this.#dirty = true;
  }

  /** Forget statements other than `keep` (deleted from the project); returns their slugs. */
  prune(keep: Set<string>): string[] {
    const gone = Object.keys(this.#statements).filter((slug) => !keep.has(slug));
    for (const slug of gone) delete this.#statements[slug];
    if (gone.length > 0) this.#dirty = true;
    return gone;
  }

  /** The dates `slug` in `locale` was last built with. */
  builtDates(slug: string, locale: Locale): VersionDates | undefined {
    return this.#statements[slug]?.pages[locale]?.dates;
  }

  /** The last publish's dates of every version (see `#published`). */
  published(): Record<string, VersionDates> {
    return this.#published;
  }

  setPublished(records: Record<string, VersionDates>): void {
    if (JSON.stringify(records) === JSON.stringify(this.#published)) return;
    this.#published = records;
    this.#dirty = true;
  }

  /** Every page, for the indexes, by slug: the same order whether the statements were just built (on several threads) or read back. */
  entries(): PageEntry[] {
    return Object.keys(this.#statements)
      .sort((a, b) => a.localeCompare(b))
      .flatMap((slug) => Object.values(this.#statements[slug]!.pages));
  }

  async save(): Promise<void> {
    if (!this.#dirty) return;
    const sorted = Object.fromEntries(Object.entries(this.#statements).sort(([a], [b]) => a.localeCompare(b)));
    // Compact: read by every build, never by people.
    await writeFileAtomic(this.file, `${JSON.stringify({ format: FORMAT, statements: sorted, published: this.#published })}\n`);
    this.#dirty = false;
  }
}
