/**
 * `statements build`: reassemble every statement × locale and write its
 * artifacts under `dist/<lng>/<slug>/`. Incremental: a document whose inputs
 * (statement, bundles of its fallback chain, state) hash as last time, and
 * that built cleanly then, is not built again; `force` rebuilds all.
 */
import path from 'node:path';
import pLimit from 'p-limit';
import { Diagnostics } from '../diagnostics.ts';
import { HashCache } from '../cache.ts';
import { writeFileAtomic } from '../fs.ts';
import { extractSegments } from '../extract.ts';
import { reassemble, toMarkdown } from '../reassemble.ts';
import { TranslationResolver } from '../resolve.ts';
import { catalogKey, findStatements, loadStatement, readCatalog, readStatementText, type Catalog } from '../project.ts';
import type { ResolvedConfig } from '../config.ts';
import type { Locale } from '../types.ts';

export interface BuildOptions {
  slugs?: string[];
  /** Rebuild everything, ignoring the cache. */
  force?: boolean;
  /** Called after each document, for progress bars. */
  onDocument?: (done: number, total: number) => void;
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
  diagnostics: Diagnostics;
}

/** Where a statement's localized Markdown lives below the output folder. */
export const markdownKey = (locale: Locale, slug: string) => `${locale}/${slug}/${slug}-${locale}.md`;

function documentKey(config: ResolvedConfig, text: string, catalog: Catalog, chain: Locale[]): string {
  const bundles = chain.map((locale) => `${locale}=${catalog.bundles.get(locale)?.text ?? ''}`);
  return HashCache.key(JSON.stringify([config.fallback, config.strict]), text, catalog.stateText, ...bundles);
}

export async function buildProject(config: ResolvedConfig, options: BuildOptions = {}): Promise<BuildReport> {
  const diagnostics = new Diagnostics(config.root);
  const cache = await HashCache.open(config.cacheDir, 'build');
  const entries = await findStatements(config, diagnostics, options.slugs);
  const resolver = new TranslationResolver(config);
  const limit = pLimit(16);
  const report: BuildReport = { documents: [], unchanged: 0, failed: 0, diagnostics };
  let done = 0;

  await Promise.all(
    entries.map((entry) =>
      limit(async () => {
        const [text, catalog] = await Promise.all([readStatementText(entry), readCatalog(entry.slug, config, diagnostics)]);
        // Nothing read has changed and every output is there: skip before parsing.
        const statementKey = catalogKey(config, text, catalog);
        if (!options.force && cache.fresh(entry.slug, statementKey)) {
          report.unchanged += cache.outputs(entry.slug).length;
          return;
        }
        const statement = loadStatement(entry, text, config, diagnostics);
        if (!statement || !catalog.ok) return;
        const sourceLocale = statement.frontMatter.lang;
        const fresh = (locale: Locale) => cache.fresh(`${entry.slug}/${locale}`, documentKey(config, text, catalog, resolver.chain(locale, sourceLocale)));
        const stale = statement.locales.filter((locale) => options.force || !fresh(locale));
        report.unchanged += statement.locales.length - stale.length;
        if (stale.length === 0) return;
        for (const [locale, file] of catalog.bundles) resolver.add(locale, entry.slug, file.bundle);
        const segments = extractSegments(statement, catalog);
        let clean = true;
        for (const locale of stale) {
          const unit = `${entry.slug}/${locale}`;
          const document = reassemble(statement, segments, locale, { resolver, catalog, diagnostics, config });
          options.onDocument?.(++done, entries.length);
          if (document.failed) {
            clean = false;
            report.failed++;
            cache.delete(unit);
            continue;
          }
          const key = markdownKey(locale, entry.slug);
          await writeFileAtomic(path.join(config.outDir, key), toMarkdown(document.tree));
          report.documents.push({ slug: entry.slug, locale, artifacts: [key] });
          // Only clean documents are cached, so warnings show on every run until fixed.
          if (document.missing.length === 0 && document.stale.length === 0) {
            cache.set(unit, documentKey(config, text, catalog, resolver.chain(locale, sourceLocale)), [path.join(config.outDir, key)]);
          } else {
            clean = false;
            cache.delete(unit);
          }
        }
        const outputs = statement.locales.map((locale) => path.join(config.outDir, markdownKey(locale, entry.slug)));
        if (clean) cache.set(entry.slug, statementKey, outputs);
        else cache.delete(entry.slug);
      }),
    ),
  );
  await cache.save();
  report.documents.sort((a, b) => a.slug.localeCompare(b.slug) || a.locale.localeCompare(b.locale));
  return report;
}
