/**
 * The per-document half of `statements build`, run over a shard of
 * statements in this thread or a worker: reassemble each statement × locale
 * whose inputs changed, check it is safe, render it (page, PDF, Markdown,
 * images) under `dist/<lng>/<slug>/`. A document that fails takes its earlier
 * output with it.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Diagnostics, type TransferredMessage } from '../diagnostics.ts';
import {
  type CacheEntry,
  type Catalog,
  type Feed,
  HashCache,
  inputHashesKey,
  type Progress,
  readInputHashes,
  type StatementEntry,
  tapFeed,
  writeFileAtomic,
} from '../project/index.ts';
import { reassemble, TranslationResolver } from '../reassemble/index.ts';
import { checkSource, checkTranslations } from '../check/index.ts';
import {
  imageFiles,
  loadAssets,
  loadInterfaceStrings,
  loadLogo,
  pageEntry,
  pagePath,
  readImageFile,
  RENDER_VERSION,
  renderDocument,
  type SiteContext,
  SiteManifest,
  type StatementRecord,
  versionDates,
} from '../render/index.ts';
import { isPublished } from '../translation/index.ts';
import { eachStatement } from './statements.ts';
import { untranslated, type Withholdings } from './readiness.ts';
import type { ResolvedConfig } from '../config.ts';
import type { Locale, Version, VersionDates } from '../types.ts';

export interface BuiltDocument {
  slug: string;
  locale: Locale;
  /** Artifact paths below the output folder. */
  artifacts: string[];
}

/** Hash of what one document reads: the statement, the bundles of its fallback chain, the state and the settings that shape it. */
function documentKey(config: ResolvedConfig, text: string, catalog: Catalog, chain: readonly Locale[], renderKey: string): string {
  const bundles = chain.map((locale) => `${locale}=${catalog.bundles.get(locale)?.text ?? ''}`);
  return HashCache.key(JSON.stringify([config.fallback, config.strict]), renderKey, text, catalog.stateText, ...bundles);
}

/** What readiness decided outside the build for `slug` (check errors, review): part of its cache key. */
export const withholdKey = (withhold: Withholdings, slug: string) => JSON.stringify([...(withhold.get(slug) ?? [])]);

/**
 * Hash of image files' bytes, read as publishing would read them (never from
 * outside the image folders, never a pipe or device); an unusable file hashes
 * as its problem, so it is rebuilt and reported.
 */
export async function filesKey(files: string[], config: ResolvedConfig): Promise<string> {
  const parts = await Promise.all(
    files.map(async (file) => {
      const read = await readImageFile(file, config);
      return `${file}=${'data' in read ? HashCache.key(read.data.toString('base64')) : read.problem}`;
    }),
  );
  return HashCache.key(...parts);
}

/** The dating keys of every version of `slug` the manifest lists, for the statement's cache key. */
export const datedKey = (dating: Dating, manifest: SiteManifest, slug: string) =>
  manifest
    .locales(slug)
    .map((locale) => datingKey(dating, slug, locale, manifest.builtDates(slug, locale)))
    .join('|');

/** Remove what earlier builds wrote for `slug` in `locales`, so that nothing stale of it is ever published. */
export const removeOutput = (config: ResolvedConfig, slug: string, locales: Locale[]) =>
  Promise.all(locales.map((locale) => rm(path.join(config.outDir, pagePath(locale, slug)), { recursive: true, force: true })));

/** The statement's locales in the configured order (the switcher's order), the rest after. */
const ordered = (locales: Locale[], config: ResolvedConfig) =>
  [...locales].sort((a, b) => (config.locales.indexOf(a) + 1 || Infinity) - (config.locales.indexOf(b) + 1 || Infinity));

/** How a build dates versions: the last publish's record of each (`<lng>/<slug>`), and the day a new or changed version carries. */
export interface Dating {
  today: string;
  published: Record<string, VersionDates>;
}

/**
 * The dates `slug` in `locale` carries if its content is still what was last
 * built (`built`): a key on the outcome, not on its inputs, so that recording a
 * publish of the very dates a build gave rebuilds nothing. A version never
 * built depends on its record and today.
 */
export function datingKey(dating: Dating, slug: string, locale: Locale, built: VersionDates | undefined): string {
  const previous = dating.published[`${locale}/${slug}`];
  if (!built) return JSON.stringify([previous ?? null, dating.today]);
  const dates = versionDates({ previous, today: dating.today }, built.sha256);
  return JSON.stringify([dates.sha256, dates.published, dates.updated ?? null]);
}

/** What one shard of statements yields, in this thread or a worker. */
export interface BuildShard {
  documents: BuiltDocument[];
  /** Every version of the shard's statements that was built or withheld. */
  versions: Version[];
  unchanged: number;
  failed: number;
  messages: TransferredMessage[];
  /** Cache entries and manifest records of the shard's statements, as it left them. */
  cache: Record<string, CacheEntry>;
  manifest: Record<string, StatementRecord>;
}

/** What a build reads besides the statements: interface strings and the key of every setting that shapes output. */
export async function buildContext(config: ResolvedConfig, diagnostics: Diagnostics) {
  const [strings, logo] = await Promise.all([loadInterfaceStrings(config, diagnostics), loadLogo(config.site, config, diagnostics)]);
  // Pages link only to published locales; the others (the pseudo-locale) are built for previewing.
  const published = config.locales.filter((locale) => isPublished(config, locale));
  const context: SiteContext = { strings, site: config.site, published, ...(logo ? { logo } : {}) };
  // Not `translation.minTranslated`: only complete versions are ever cached, and those are ready at any threshold,
  // so a preview build and a publish share their cache.
  const renderKey = HashCache.key(
    RENDER_VERSION,
    strings.key,
    JSON.stringify(config.site),
    JSON.stringify(config.locales),
    JSON.stringify(published),
    logo ? HashCache.key(logo.data.toString('base64')) : '',
  );
  return { context, renderKey };
}

/**
 * Build the statements of `entries` (all, or a thread's share): reassemble
 * each statement × locale whose inputs changed and render it. Reads the caches as they are on disk and returns its
 * statements' part of them; only the main thread writes them.
 */
export async function buildStatements(
  entries: Feed<StatementEntry>,
  config: ResolvedConfig,
  force: boolean,
  withhold: Withholdings,
  dating: Dating,
  progress: Progress = () => {},
): Promise<BuildShard> {
  const diagnostics = new Diagnostics(config.root);
  const [cache, manifest, { context, renderKey }] = await Promise.all([
    HashCache.open(config.cacheDir, 'build'),
    SiteManifest.open(config.cacheDir, config.root),
    buildContext(config, new Diagnostics(config.root)),
  ]);
  const resolver = new TranslationResolver(config);
  const shard: Omit<BuildShard, 'messages' | 'cache' | 'manifest'> = { documents: [], versions: [], unchanged: 0, failed: 0 };
  // A document that fails is withdrawn: its output from an earlier build would otherwise go out (with `--force`) as if current.
  const withdraw = async (slug: string, locales: Locale[]) => {
    manifest.withdraw(slug, locales);
    await removeOutput(config, slug, locales);
  };

  // A statement that does not load or stops part-way: nothing of it can be trusted to be whole.
  const failed = (entry: StatementEntry) => {
    cache.delete(entry.slug);
    shard.failed += config.locales.length;
    shard.versions.push(
      ...config.locales.map((locale) => ({ slug: entry.slug, locale, withheld: { reason: 'error' as const, detail: 'the statement could not be read' } })),
    );
    progress(config.locales.length);
    return withdraw(entry.slug, config.locales);
  };
  const taken: StatementEntry[] = [];
  await eachStatement(
    tapFeed(entries, taken),
    config,
    diagnostics,
    async ({ entry, text, statement, catalog, segments }) => {
      const locales = ordered(statement.locales, config);
      progress(0, locales.length - config.locales.length);
      const assets = await loadAssets(statement, config);
      const sourceOk = checkSource(statement, segments);
      const images = imageFiles(statement);
      manifest.setImages(entry.slug, images);
      if (!sourceOk || !assets.ok) {
        cache.delete(entry.slug);
        shard.failed += locales.length;
        shard.versions.push(
          ...locales.map((locale) => ({ slug: entry.slug, locale, withheld: { reason: 'error' as const, detail: 'the statement has errors' } })),
        );
        await withdraw(entry.slug, locales);
        return progress(locales.length);
      }
      // Readiness first: a page links only to the versions published with it.
      const withheld = new Map(withhold.get(entry.slug));
      const documents = new Map<Locale, ReturnType<typeof reassemble>>();
      resolver.withBundles(entry.slug, catalog.bundles, () => {
        for (const locale of locales.filter((lng) => !withheld.has(lng))) {
          const document = reassemble(statement, segments, locale, { resolver, catalog, diagnostics, config });
          const safe = checkTranslations(statement, segments, locale, { resolver, catalog, diagnostics, config });
          const shortfall = untranslated(segments.length, document.missing.length, document.stale.length, config.translation.minTranslated);
          if (document.failed || !safe) {
            shard.failed++;
            withheld.set(locale, { reason: 'error', detail: document.failed ? 'tags do not match the source' : 'unsafe text in a translation' });
          } else if (shortfall) withheld.set(locale, shortfall);
          else documents.set(locale, document);
        }
      });
      const ready = locales.filter((locale) => documents.has(locale));
      for (const locale of locales) shard.versions.push({ slug: entry.slug, locale, ...(withheld.has(locale) ? { withheld: withheld.get(locale) } : {}) });
      const out = locales.filter((locale) => withheld.has(locale));
      for (const locale of out) cache.delete(`${entry.slug}/${locale}`);
      await withdraw(entry.slug, out);

      // Key with the images the statement uses now, which may differ from the manifest's.
      const currentImagesKey = await filesKey(images, config);
      const currentKey = HashCache.key(
        inputHashesKey(config, readInputHashes(entry, text, catalog, config)),
        renderKey,
        currentImagesKey,
        withholdKey(withhold, entry.slug),
      );
      const sourceLocale = statement.frontMatter.lang;
      const siteKey = HashCache.key(renderKey, currentImagesKey, JSON.stringify(ready));
      // Keys are taken with the dates each version was built with: before rendering to tell if it is fresh, after it to cache it.
      const dated = (locale: Locale) => datingKey(dating, entry.slug, locale, manifest.builtDates(entry.slug, locale));
      const unitKey = (locale: Locale) => documentKey(config, text, catalog, resolver.chain(locale, sourceLocale), HashCache.key(siteKey, dated(locale)));
      const fresh = (locale: Locale) => manifest.has(entry.slug, locale) && cache.fresh(`${entry.slug}/${locale}`, unitKey(locale));
      const stale = ready.filter((locale) => force || !fresh(locale));
      shard.unchanged += ready.length - stale.length;
      progress(locales.length - stale.length);
      let clean = out.length === 0;
      for (const locale of stale) {
        const unit = `${entry.slug}/${locale}`;
        const document = documents.get(locale)!;
        const { files, dates } = await renderDocument(document, ready, assets, context, {
          previous: dating.published[`${locale}/${entry.slug}`],
          today: dating.today,
        });
        await Promise.all(files.map((file) => writeFileAtomic(path.join(config.outDir, file.key), file.content)));
        manifest.set(pageEntry(document, dates));
        shard.documents.push({ slug: entry.slug, locale, artifacts: files.map((file) => file.key) });
        progress(1);
        // Only clean documents are cached, so warnings show on every run until fixed.
        if (document.missing.length === 0 && document.stale.length === 0)
          cache.set(
            unit,
            unitKey(locale),
            files.map((file) => path.join(config.outDir, file.key)),
          );
        else {
          clean = false;
          cache.delete(unit);
        }
      }
      if (clean)
        cache.set(
          entry.slug,
          HashCache.key(currentKey, datedKey(dating, manifest, entry.slug)),
          locales.flatMap((locale) => cache.outputs(`${entry.slug}/${locale}`)),
        );
      else cache.delete(entry.slug);
    },
    { onFailure: failed },
  );
  const slugs = taken.map((entry) => entry.slug);
  return { ...shard, messages: diagnostics.export(), cache: cache.slice(slugs), manifest: manifest.slice(slugs) };
}
