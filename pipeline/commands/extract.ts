/**
 * `statements extract`: statements → locale bundles. Each statement is
 * parsed, keyed and merged into its catalog; the writes are planned, then
 * made atomically. A statement whose files are unchanged since the last run
 * is skipped by content hash.
 */
import { Diagnostics, type TransferredMessage } from '../diagnostics.ts';
import {
  type Feed,
  findStatements,
  HashCache,
  hashText,
  inputHashesKey,
  type InputHashes,
  readInputHashes,
  whileWriting,
  writtenFolders,
  type StatementEntry,
  writeCatalog,
} from '../project/index.ts';
import { mergeCatalog, type MergeCounts, planCatalogWrites, type PlannedWrite } from '../extract/index.ts';
import { changedStatements, eachStatement, runSharded } from './statements.ts';
import type { ResolvedConfig } from '../config.ts';
import { applyTranslatorTools, hasUntranslated, TranslationMemory, writePseudoCommon } from '../translation/index.ts';

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

export interface ExtractOptions {
  /** Only these statements; default all. */
  slugs?: string[];
  /** Plan and report, write nothing. */
  dryRun?: boolean;
  /** Worker threads; by default every core once there are enough statements to pay for starting them, 1 keeps the work in this thread. */
  jobs?: number;
}

/** What one shard of statements yields, in this thread or a worker. */
export interface ExtractShard {
  statements: StatementExtract[];
  /** Cache keys of the statements extracted cleanly. */
  cached: Array<[slug: string, key: string]>;
  /** What was read of the statements' files, for the input memo (`changedStatements`). */
  inputs: InputHashes;
  messages: TransferredMessage[];
}

/** What extracting a statement of a few kilobytes costs, mostly its parse: about 6 ms on the 2-core machine. */
const EXTRACT_MS = 6;

/**
 * Work an extract thread must have (`WORK_PER_THREAD_MS`): less than a
 * build's, whose worker loads and warms up far more code. On the 2-core
 * machine two threads broke even at 600 statements and were 1.1× faster at 1,000.
 */
const EXTRACT_THREAD_MS = 3_600;

export async function extractProject(config: ResolvedConfig, options: ExtractOptions = {}): Promise<ExtractReport> {
  return options.dryRun ? extractAll(config, options) : whileWriting(config.cacheDir, writtenFolders(config), () => extractAll(config, options));
}

async function extractAll(config: ResolvedConfig, options: ExtractOptions): Promise<ExtractReport> {
  const diagnostics = new Diagnostics(config.root);
  const cache = await HashCache.open(config.cacheDir, 'extract');
  const entries = await findStatements(config, diagnostics, options.slugs);
  let unchanged = 0;
  // A statement never extracted cannot be fresh: its files are read once, by its extract.
  const changed = await changedStatements(entries, config, diagnostics, async (entry, inputsKey) => {
    const fresh = cache.has(entry.slug) && cache.fresh(entry.slug, await inputsKey());
    if (fresh) unchanged++;
    return fresh;
  });
  const results = await runSharded(new URL(import.meta.url), 'extractStatements', extractStatements, changed.pending, [config, options], {
    jobs: options.jobs,
    itemMs: EXTRACT_MS,
    threadMs: EXTRACT_THREAD_MS,
  });
  const statements: StatementExtract[] = [];
  for (const result of results) {
    diagnostics.import(result.messages);
    statements.push(...result.statements);
    for (const [slug, key] of result.cached) cache.set(slug, key);
  }
  await changed.settle(results.map((result) => result.inputs));
  if (!options.dryRun) await cache.save();
  if (!options.dryRun) await writePseudoCommon(config);
  statements.sort((a, b) => a.slug.localeCompare(b.slug));
  return { statements, unchanged, diagnostics };
}

/** Extract the statements of `entries` (all, or a thread's share): parse, key, merge into the catalog, write. */
export async function extractStatements(entries: Feed<StatementEntry>, config: ResolvedConfig, options: ExtractOptions = {}): Promise<ExtractShard> {
  const diagnostics = new Diagnostics(config.root);
  const cached: ExtractShard['cached'] = [];
  const inputs: InputHashes = [];
  // The translation memory is read only when a statement has something to fill.
  let memory: Promise<TranslationMemory> | undefined;
  // A bundle a translator broke is never written over (a whole catalog only): fix it, then extract.
  const statements = await eachStatement(
    entries,
    config,
    diagnostics,
    async ({ entry, text, statement, catalog, segments }): Promise<StatementExtract | undefined> => {
      const read = readInputHashes(entry, text, catalog, config);
      inputs.push(...read);
      const merged = mergeCatalog(segments, statement.frontMatter.lang, statement.locales, catalog);
      const reused = applyTranslatorTools(
        merged,
        segments,
        catalog,
        config,
        hasUntranslated(merged, config) ? await (memory ??= TranslationMemory.load(config)) : undefined,
      );
      if ([...reused.values()].some((reuse) => reuse.segments > 0)) merged.counts.reused = Object.fromEntries(reused);
      const writes = planCatalogWrites(entry.slug, merged, catalog, config);
      if (!options.dryRun) {
        if (!(await writeCatalog(writes, config.root, diagnostics))) return undefined;
        // The key of the next run: the files as read, with what was written in place of their old text.
        const written = new Map(writes.map((write) => [write.path, hashText(write.content)]));
        cached.push([
          entry.slug,
          inputHashesKey(
            config,
            read.map(([file, hash]): [string, string] => [file, written.get(file) ?? hash]),
          ),
        ]);
      }
      return { slug: entry.slug, counts: merged.counts, writes };
    },
  );
  return { statements, cached, inputs, messages: diagnostics.export() };
}
