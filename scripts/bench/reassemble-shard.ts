/**
 * The bench's reassembly task, in a module of its own: the pool runs the first
 * shard in the calling thread by importing this module, and core.ts, a phase
 * child's main module still in its top-level await, cannot import itself.
 */
import type { ResolvedConfig } from '../../pipeline/config.ts';
import { Diagnostics } from '../../pipeline/diagnostics.ts';
import { extractSegments } from '../../pipeline/extract/extract.ts';
import { localizedMarkdown, reassemble } from '../../pipeline/reassemble/reassemble.ts';
import { TranslationResolver } from '../../pipeline/reassemble/resolve.ts';
import { readCatalog, readStatementText, type StatementEntry } from '../../pipeline/project/project.ts';
import type { Feed } from '../../pipeline/project/pool.ts';
import { loadStatement } from '../../pipeline/parse/cache.ts';

/**
 * Parse once, reassemble every locale and serialize it: a build without the
 * rendering, with the build's own queue over worker threads.
 */
export async function reassembleShard(entries: Feed<StatementEntry>, config: ResolvedConfig): Promise<number> {
  const diagnostics = new Diagnostics(config.root);
  const resolver = new TranslationResolver(config);
  let documents = 0;
  for await (const entry of entries) {
    const [text, catalog] = await Promise.all([readStatementText(entry), readCatalog(entry.slug, config, diagnostics)]);
    const statement = loadStatement(entry, text, config, diagnostics)!;
    const segments = extractSegments(statement, catalog);
    // As a build does: only the statement in hand keeps its bundles.
    resolver.withBundles(entry.slug, catalog.bundles, () => {
      for (const locale of statement.locales) {
        localizedMarkdown(reassemble(statement, segments, locale, { resolver, catalog, diagnostics, config }));
        documents++;
      }
    });
  }
  return documents;
}
