/**
 * `statements build`: decide what to rebuild, build those documents (in
 * build-documents.ts, on worker threads when there are many), then the site
 * pages (site-pages.ts). Incremental: a statement whose inputs (statement,
 * bundles, state, interface strings, images, site settings) hash as last
 * time, and that built cleanly then, is skipped before parsing; `force`
 * rebuilds all.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Diagnostics } from '../diagnostics.ts';
import { findStatements, HashCache, type Progress, whileWriting, writtenFolders } from '../project/index.ts';
import { applySeverities } from '../check/index.ts';
import { SiteManifest, utcDay } from '../render/index.ts';
import { buildContext, buildStatements, type Dating, datedKey, filesKey, removeOutput, withholdKey, type BuiltDocument } from './build-documents.ts';
import { locateFixes, type Withholdings } from './readiness.ts';
import { writeSitePages } from './site-pages.ts';
import { changedStatements, runSharded } from './statements.ts';
import type { ResolvedConfig } from '../config.ts';
import type { Version, VersionDates } from '../types.ts';

export type { BuiltDocument };

export interface BuildOptions {
  slugs?: string[];
  /** Rebuild everything, ignoring the cache. */
  force?: boolean;
  /** Called after each statement × locale (built, unchanged or failed), for progress bars. */
  onDocument?: (done: number, total: number) => void;
  /** Worker threads; by default every core once there are enough statements to pay for starting them, 1 keeps the work in this thread. */
  jobs?: number;
  /** Versions not ready for reasons found outside the build (check errors, review): neither built nor linked. */
  withhold?: Withholdings;
  /**
   * Least share (percent) of a version translated for it to be built and
   * linked. Default 0: a build for previewing shows every version it can;
   * publish passes `translation.minTranslated`.
   */
  minTranslated?: number;
  /** The dates of every version on the target (`<lng>/<slug>`), from its manifest. Default those the last publish left in `.cache/site.json`. */
  published?: Record<string, VersionDates>;
  /** The UTC day a new or changed version is dated, `YYYY-MM-DD`. Default today. */
  today?: string;
}

export interface BuildReport {
  documents: BuiltDocument[];
  /** Documents whose inputs had not changed. */
  unchanged: number;
  /** Documents not written because a translation could not be used. */
  failed: number;
  /** Every version of the statements built: published (built or unchanged) or withheld, and why. */
  versions: Version[];
  /** Site pages (chooser, indexes, feeds) below the output folder. */
  site: string[];
  /** `file://` URL of the built site's language chooser: a local `dist/` has no index documents. */
  home: string;
  diagnostics: Diagnostics;
}

/** What building one version of a statement (page, PDF, Markdown) costs: about 15 ms on the 2-core machine. */
const BUILD_MS_PER_DOCUMENT = 15;

export function buildProject(config: ResolvedConfig, options: BuildOptions = {}): Promise<BuildReport> {
  const effective = { ...config, translation: { ...config.translation, minTranslated: options.minTranslated ?? 0 } };
  return whileWriting(config.cacheDir, writtenFolders(config), () => buildAll(effective, options));
}

async function buildAll(config: ResolvedConfig, options: BuildOptions): Promise<BuildReport> {
  const diagnostics = new Diagnostics(config.root);
  const [cache, manifest, { context, renderKey }] = await Promise.all([
    HashCache.open(config.cacheDir, 'build'),
    SiteManifest.open(config.cacheDir, config.root),
    buildContext(config, diagnostics),
  ]);
  const entries = await findStatements(config, diagnostics, options.slugs);
  const report: BuildReport = {
    documents: [],
    versions: [],
    unchanged: 0,
    failed: 0,
    site: [],
    home: pathToFileURL(path.join(config.outDir, 'index.html')).href,
    diagnostics,
  };
  const withhold = options.withhold ?? new Map();
  // Publish passes the target's record of every version; a plain build dates against the one the last publish left.
  if (options.published) manifest.setPublished(options.published);
  const dating: Dating = { today: options.today ?? utcDay(), published: manifest.published() };
  // Until a statement is read, assume it has the configured locales.
  let total = entries.length * config.locales.length;
  let done = 0;
  const progress: Progress = (count, totalChange = 0) => {
    total += totalChange;
    for (let index = 0; index < count; index++) options.onDocument?.(++done, total);
  };

  // Nothing read has changed (images as listed last time) and every output is there: skip before parsing.
  const { pending, settle } = await changedStatements(
    entries,
    config,
    diagnostics,
    async (entry, inputsKey) => {
      const statementKey = HashCache.key(
        HashCache.key(await inputsKey(), renderKey, await filesKey(manifest.images(entry.slug), config), withholdKey(withhold, entry.slug)),
        datedKey(dating, manifest, entry.slug),
      );
      const listed = manifest.locales(entry.slug);
      if (options.force || listed.length === 0 || !cache.fresh(entry.slug, statementKey)) return false;
      // Cached only when every version was built cleanly: all of them are published.
      report.versions.push(...listed.map((locale) => ({ slug: entry.slug, locale })));
      report.unchanged += listed.length;
      progress(listed.length, listed.length - config.locales.length);
      return true;
    },
    (entry) => {
      report.failed += config.locales.length;
      report.versions.push(
        ...config.locales.map((locale) => ({ slug: entry.slug, locale, withheld: { reason: 'error' as const, detail: 'the statement could not be read' } })),
      );
      progress(config.locales.length);
    },
  );

  // Every statement's files were hashed above: nothing is left for the tasks to report.
  await settle([]);

  const results = await runSharded(
    new URL('./build-documents.ts', import.meta.url),
    'buildStatements',
    buildStatements,
    pending,
    [config, Boolean(options.force), withhold, dating],
    { jobs: options.jobs, progress, itemMs: BUILD_MS_PER_DOCUMENT * config.locales.length },
  );
  for (const result of results) {
    diagnostics.import(result.messages);
    report.documents.push(...result.documents);
    report.versions.push(...result.versions);
    report.unchanged += result.unchanged;
    report.failed += result.failed;
  }
  // The shards' statements are disjoint: their caches together replace the main thread's.
  const slugs = pending.map((entry) => entry.slug);
  cache.replace(slugs, Object.assign({}, ...results.map((result) => result.cache)));
  manifest.replace(slugs, Object.assign({}, ...results.map((result) => result.manifest)));

  // Statements removed from the project leave the site (only on a full build).
  if (!options.slugs || options.slugs.length === 0) {
    const gone = manifest.prune(new Set(entries.map((entry) => entry.slug)));
    await Promise.all(gone.map((slug) => removeOutput(config, slug, config.locales)));
  }
  report.site = await writeSitePages(config, manifest, context, cache, renderKey);
  await Promise.all([cache.save(), manifest.save()]);
  report.documents.sort((a, b) => a.slug.localeCompare(b.slug) || a.locale.localeCompare(b.locale));
  // Severity: `checks.rules` and `strict` decide it for every finding, as in check and publish.
  applySeverities(diagnostics, config.checks, config.strict);
  report.versions.sort((a, b) => a.slug.localeCompare(b.slug) || config.locales.indexOf(a.locale) - config.locales.indexOf(b.locale));
  locateFixes(report.versions, diagnostics, config, entries);
  return report;
}
