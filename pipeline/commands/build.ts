/**
 * `statements build`: reassemble every statement × locale, render it (web
 * page, PDF, localized Markdown, images) under `dist/<lng>/<slug>/`, then the
 * site: the language chooser, each language's index and Atom feed.
 * Incremental: a document whose inputs (statement, bundles of its fallback
 * chain, state, interface strings, images, site settings) hash as last time,
 * and that built cleanly then, is not built again; `force` rebuilds all.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import { Diagnostics, type TransferredMessage } from '../diagnostics.ts';
import { runInWorkers, shards, workerCount, type Progress } from '../project/pool.ts';
import { HashCache, type CacheEntry } from '../project/cache.ts';
import { removeStaleTemps, writeFileAtomic, writeIfChanged } from '../project/fs.ts';
import { extractSegments } from '../extract/extract.ts';
import { reassemble } from '../reassemble/reassemble.ts';
import { TranslationResolver } from '../reassemble/resolve.ts';
import { catalogKey, findStatements, isolate, readCatalog, readCatalogTexts, readStatementText, type Catalog, type StatementEntry } from '../project/project.ts';
import { loadStatement } from '../parse/cache.ts';
import { loadInterfaceStrings } from '../render/strings.ts';
import { checkSource, checkTranslations } from '../check/safety.ts';
import { applySeverities } from '../check/severity.ts';
import { imageFiles, loadAssets, readImageFile } from '../render/assets.ts';
import { pageEntry, renderDocument, RENDER_VERSION } from '../render/index.ts';
import { markdownName, pagePath, type SiteContext } from '../render/html.ts';
import { feedPath, indexPath, renderFeed, renderIndexPage, renderLanguageChooser } from '../render/site.ts';
import { SiteManifest, type StatementRecord } from '../render/manifest.ts';
import { isPublished } from '../translation/variants.ts';
import type { ResolvedConfig } from '../config.ts';
import type { Locale } from '../types.ts';

export interface BuildOptions {
  slugs?: string[];
  /** Rebuild everything, ignoring the cache. */
  force?: boolean;
  /** Called after each statement × locale (built, unchanged or failed), for progress bars. */
  onDocument?: (done: number, total: number) => void;
  /** Worker threads at most; default every core, 1 keeps the work in this thread. */
  jobs?: number;
}

export interface BuiltDocument {
  slug: string;
  locale: Locale;
  /** Artifact paths below the output folder. */
  artifacts: string[];
}

export interface BuildReport {
  documents: BuiltDocument[];
  /** Documents whose inputs had not changed. */
  unchanged: number;
  /** Documents not written because a translation could not be used. */
  failed: number;
  /** Site pages (chooser, indexes, feeds) below the output folder. */
  site: string[];
  diagnostics: Diagnostics;
}

/** Where a statement's localized Markdown lives below the output folder. */
export const markdownKey = (locale: Locale, slug: string) => pagePath(locale, slug) + markdownName(locale, slug);

function documentKey(config: ResolvedConfig, text: string, catalog: Catalog, chain: Locale[], renderKey: string): string {
  const bundles = chain.map((locale) => `${locale}=${catalog.bundles.get(locale)?.text ?? ''}`);
  return HashCache.key(JSON.stringify([config.fallback, config.strict]), renderKey, text, catalog.stateText, ...bundles);
}

/**
 * Hash of image files' bytes, read as publishing would read them (never from
 * outside the image folders, never a pipe or device); an unusable file hashes
 * as its problem, so it is rebuilt and reported.
 */
async function filesKey(files: string[], config: ResolvedConfig): Promise<string> {
  const parts = await Promise.all(
    files.map(async (file) => {
      const read = await readImageFile(file, config);
      return `${file}=${'data' in read ? HashCache.key(read.data.toString('base64')) : read.problem}`;
    }),
  );
  return HashCache.key(...parts);
}

/** Remove what earlier builds wrote for `slug` in `locales`, so that nothing stale of it is ever published. */
const removeOutput = (config: ResolvedConfig, slug: string, locales: Locale[]) =>
  Promise.all(locales.map((locale) => rm(path.join(config.outDir, pagePath(locale, slug)), { recursive: true, force: true })));

/** The statement's locales in the configured order (the switcher's order), the rest after. */
const ordered = (locales: Locale[], config: ResolvedConfig) =>
  [...locales].sort((a, b) => (config.locales.indexOf(a) + 1 || Infinity) - (config.locales.indexOf(b) + 1 || Infinity));

/** What one shard of statements yields, in this thread or a worker. */
export interface BuildShard {
  documents: BuiltDocument[];
  unchanged: number;
  failed: number;
  messages: TransferredMessage[];
  /** Cache entries and manifest records of the shard's statements, as it left them. */
  cache: Record<string, CacheEntry>;
  manifest: Record<string, StatementRecord>;
}

/** What a build reads besides the statements: interface strings and the key of every setting that shapes output. */
async function buildContext(config: ResolvedConfig, diagnostics: Diagnostics) {
  const strings = await loadInterfaceStrings(config, diagnostics);
  // Pages link only to published locales; the others (the pseudo-locale) are built for previewing.
  const published = config.locales.filter((locale) => isPublished(config, locale));
  const context: SiteContext = { strings, site: config.site, published };
  const renderKey = HashCache.key(RENDER_VERSION, strings.key, JSON.stringify(config.site), JSON.stringify(config.locales), JSON.stringify(published));
  return { context, renderKey };
}

export async function buildProject(config: ResolvedConfig, options: BuildOptions = {}): Promise<BuildReport> {
  const diagnostics = new Diagnostics(config.root);
  // A killed build's temps would otherwise be listed, and published, as site files.
  await removeStaleTemps([config.outDir]);
  const [cache, manifest, { context, renderKey }] = await Promise.all([HashCache.open(config.cacheDir, 'build'), SiteManifest.open(config.cacheDir, config.root), buildContext(config, diagnostics)]);
  const entries = await findStatements(config, diagnostics, options.slugs);
  const limit = pLimit(16);
  const report: BuildReport = { documents: [], unchanged: 0, failed: 0, site: [], diagnostics };
  // Until a statement is read, assume it has the configured locales.
  let total = entries.length * config.locales.length;
  let done = 0;
  const progress: Progress = (count, totalChange = 0) => {
    total += totalChange;
    for (let index = 0; index < count; index++) options.onDocument?.(++done, total);
  };

  // Nothing read has changed (images as listed last time) and every output is there: skip before parsing.
  const pending: StatementEntry[] = [];
  await Promise.all(
    entries.map((entry) =>
      limit(() => isolate(entry.file, diagnostics, async () => {
        const [text, texts] = await Promise.all([readStatementText(entry, config), readCatalogTexts(entry.slug, config)]);
        const statementKey = HashCache.key(catalogKey(config, text, texts), renderKey, await filesKey(manifest.images(entry.slug), config));
        const listed = manifest.locales(entry.slug);
        if (options.force || listed.length === 0 || !cache.fresh(entry.slug, statementKey)) return void pending.push(entry);
        report.unchanged += listed.length;
        progress(listed.length, listed.length - config.locales.length);
      }, () => {
        report.failed += config.locales.length;
        progress(config.locales.length);
      })),
    ),
  );

  // The rest is built on every core when there is enough of it.
  pending.sort((a, b) => a.slug.localeCompare(b.slug));
  const workers = workerCount(pending.length, options.jobs);
  const results =
    workers > 1
      ? await runInWorkers<StatementEntry, BuildShard>(new URL(import.meta.url), 'buildStatements', shards(pending, workers), [config, Boolean(options.force)], progress)
      : [await buildStatements(pending, config, Boolean(options.force), progress)];
  const slugs = pending.map((entry) => entry.slug);
  for (const result of results) {
    diagnostics.import(result.messages);
    report.documents.push(...result.documents);
    report.unchanged += result.unchanged;
    report.failed += result.failed;
  }
  // The shards' statements are disjoint: their caches together replace the main thread's.
  cache.replace(slugs, Object.assign({}, ...results.map((result) => result.cache)));
  manifest.replace(slugs, Object.assign({}, ...results.map((result) => result.manifest)));

  // Statements removed from the project leave the site (only on a full build).
  if (!options.slugs || options.slugs.length === 0) {
    const gone = manifest.prune(new Set(entries.map((entry) => entry.slug)));
    await Promise.all(gone.map((slug) => removeOutput(config, slug, config.locales)));
  }
  const pages = manifest.entries();
  const site: Array<[string, string | undefined]> = [
    ['index.html', renderLanguageChooser(config.sourceLocale, config.locales, context)],
    ...config.locales.flatMap((locale): Array<[string, string | undefined]> => [
      [`${indexPath(locale)}index.html`, renderIndexPage(locale, config.locales, pages, context)],
      [feedPath(locale), renderFeed(locale, pages, context)],
    ]),
  ];
  for (const [key, content] of site) {
    if (content === undefined) continue;
    await writeIfChanged(path.join(config.outDir, key), content);
    report.site.push(key);
  }
  await Promise.all([cache.save(), manifest.save()]);
  report.documents.sort((a, b) => a.slug.localeCompare(b.slug) || a.locale.localeCompare(b.locale));
  // Severity: `checks.rules` and `strict` decide it for every finding, as in check and publish.
  applySeverities(diagnostics, config.checks, config.strict);
  return report;
}

/**
 * Build `entries` (a shard): reassemble each statement × locale whose inputs
 * changed and render it. Reads the caches as they are on disk and returns its
 * statements' part of them; only the main thread writes them.
 */
export async function buildStatements(entries: StatementEntry[], config: ResolvedConfig, force: boolean, progress: Progress = () => {}): Promise<BuildShard> {
  const diagnostics = new Diagnostics(config.root);
  const [cache, manifest, { context, renderKey }] = await Promise.all([HashCache.open(config.cacheDir, 'build'), SiteManifest.open(config.cacheDir, config.root), buildContext(config, new Diagnostics(config.root))]);
  const resolver = new TranslationResolver(config);
  const limit = pLimit(16);
  const shard: Omit<BuildShard, 'messages' | 'cache' | 'manifest'> = { documents: [], unchanged: 0, failed: 0 };
  // A document that fails is withdrawn: its output from an earlier build would otherwise go out (with `--force`) as if current.
  const withdraw = async (slug: string, locales: Locale[]) => {
    manifest.withdraw(slug, locales);
    await removeOutput(config, slug, locales);
  };

  await Promise.all(
    entries.map((entry) =>
      limit(() => isolate(entry.file, diagnostics, async () => {
        const [text, catalog] = await Promise.all([readStatementText(entry, config), readCatalog(entry.slug, config, diagnostics)]);
        const statement = loadStatement(entry, text, config, diagnostics);
        if (!statement || !catalog.ok) {
          cache.delete(entry.slug);
          shard.failed += config.locales.length;
          await withdraw(entry.slug, config.locales);
          return progress(config.locales.length);
        }
        const locales = ordered(statement.locales, config);
        progress(0, locales.length - config.locales.length);
        const segments = extractSegments(statement, catalog);
        const assets = await loadAssets(statement, config);
        const sourceOk = checkSource(statement, segments);
        const images = imageFiles(statement);
        manifest.setImages(entry.slug, images);
        if (!sourceOk || !assets.ok) {
          cache.delete(entry.slug);
          shard.failed += locales.length;
          await withdraw(entry.slug, locales);
          return progress(locales.length);
        }
        // Key with the images the statement uses now, which may differ from the manifest's.
        const currentImagesKey = await filesKey(images, config);
        const currentKey = HashCache.key(catalogKey(config, text, catalog), renderKey, currentImagesKey);
        const sourceLocale = statement.frontMatter.lang;
        const siteKey = HashCache.key(renderKey, currentImagesKey, JSON.stringify(locales));
        const unitKey = (locale: Locale) => documentKey(config, text, catalog, resolver.chain(locale, sourceLocale), siteKey);
        const fresh = (locale: Locale) => manifest.has(entry.slug, locale) && cache.fresh(`${entry.slug}/${locale}`, unitKey(locale));
        const stale = locales.filter((locale) => force || !fresh(locale));
        shard.unchanged += locales.length - stale.length;
        progress(locales.length - stale.length);
        if (stale.length > 0) for (const [locale, file] of catalog.bundles) resolver.add(locale, entry.slug, file.bundle);
        let clean = true;
        for (const locale of stale) {
          const unit = `${entry.slug}/${locale}`;
          const document = reassemble(statement, segments, locale, { resolver, catalog, diagnostics, config });
          const safe = checkTranslations(statement, segments, locale, { resolver, catalog, diagnostics, config });
          if (document.failed || !safe) {
            clean = false;
            shard.failed++;
            cache.delete(unit);
            await withdraw(entry.slug, [locale]);
            progress(1);
            continue;
          }
          const files = await renderDocument(document, locales, assets, context);
          await Promise.all(files.map((file) => writeFileAtomic(path.join(config.outDir, file.key), file.content)));
          manifest.set(pageEntry(document));
          shard.documents.push({ slug: entry.slug, locale, artifacts: files.map((file) => file.key) });
          progress(1);
          // Only clean documents are cached, so warnings show on every run until fixed.
          if (document.missing.length === 0 && document.stale.length === 0) cache.set(unit, unitKey(locale), files.map((file) => path.join(config.outDir, file.key)));
          else {
            clean = false;
            cache.delete(unit);
          }
        }
        if (clean) cache.set(entry.slug, currentKey, locales.flatMap((locale) => cache.outputs(`${entry.slug}/${locale}`)));
        else cache.delete(entry.slug);
      }, () => {
        // Stopped part-way: nothing of it can be trusted to be whole.
        cache.delete(entry.slug);
        shard.failed += config.locales.length;
        return withdraw(entry.slug, config.locales);
      })),
    ),
  );
  const slugs = entries.map((entry) => entry.slug);
  return { ...shard, messages: diagnostics.export(), cache: cache.slice(slugs), manifest: manifest.slice(slugs) };
}
