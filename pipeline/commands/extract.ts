/**
 * `statements extract`: statements → locale bundles. Each statement is
 * parsed, keyed and merged into its catalog; the writes are planned, then
 * made atomically. A statement whose files are unchanged since the last run
 * is skipped by content hash.
 */
import pLimit from 'p-limit';
import { Diagnostics } from '../diagnostics.ts';
import { HashCache } from '../cache.ts';
import { writeFileAtomic } from '../fs.ts';
import { extractSegments, mergeCatalog, planCatalogWrites, type MergeCounts, type PlannedWrite } from '../extract.ts';
import { catalogKey, findStatements, loadStatement, readCatalog, readStatementText } from '../project.ts';
import type { ResolvedConfig } from '../config.ts';
import { TranslationMemory } from '../tm.ts';
import { applyTranslatorTools, hasUntranslated } from '../translators.ts';
import { writePseudoCommon } from '../pseudo.ts';

export interface ExtractOptions {
  /** Only these statements; default all. */
  slugs?: string[];
  /** Plan and report, write nothing. */
  dryRun?: boolean;
}

export interface StatementExtract {
  slug: string;
  counts: MergeCounts;
  writes: PlannedWrite[];
}

export interface ExtractReport {
  statements: StatementExtract[];
  /** Statements skipped because nothing changed since the last extract. */
  unchanged: number;
  diagnostics: Diagnostics;
}

export async function extractProject(config: ResolvedConfig, options: ExtractOptions = {}): Promise<ExtractReport> {
  const diagnostics = new Diagnostics(config.root);
  const cache = await HashCache.open(config.cacheDir, 'extract');
  const entries = await findStatements(config, diagnostics, options.slugs);
  const limit = pLimit(16);
  let unchanged = 0;
  // The translation memory is read only when a statement has something to fill.
  let memory: Promise<TranslationMemory> | undefined;
  const results = await Promise.all(
    entries.map((entry) =>
      limit(async (): Promise<StatementExtract | undefined> => {
        const [text, catalog] = await Promise.all([readStatementText(entry), readCatalog(entry.slug, config, diagnostics)]);
        const key = catalogKey(config, text, catalog);
        if (cache.fresh(entry.slug, key)) {
          unchanged++;
          return undefined;
        }
        const statement = loadStatement(entry, text, config, diagnostics);
        // A bundle a translator broke is never written over: fix it, then extract.
        if (!statement || !catalog.ok) return undefined;
        const segments = extractSegments(statement, catalog);
        const merged = mergeCatalog(segments, statement.frontMatter.lang, statement.locales, catalog);
        const reused = applyTranslatorTools(merged, segments, catalog, config, hasUntranslated(merged, config) ? await (memory ??= TranslationMemory.load(config)) : undefined);
        if ([...reused.values()].some((reuse) => reuse.segments > 0)) merged.counts.reused = Object.fromEntries(reused);
        const writes = planCatalogWrites(entry.slug, merged, catalog, config);
        if (!options.dryRun) {
          await Promise.all(writes.map((write) => writeFileAtomic(write.path, write.content)));
          const after = await readCatalog(entry.slug, config, new Diagnostics(config.root));
          cache.set(entry.slug, catalogKey(config, text, after));
        }
        return { slug: entry.slug, counts: merged.counts, writes };
      }),
    ),
  );
  if (!options.dryRun) await cache.save();
  if (!options.dryRun) await writePseudoCommon(config);
  return { statements: results.filter((result) => result !== undefined), unchanged, diagnostics };
}
