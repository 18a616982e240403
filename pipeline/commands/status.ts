/**
 * `statements status`: how far each statement × target locale is translated.
 */
import { Diagnostics } from '../diagnostics.ts';
import { isStale } from '../bundle.ts';
import { extractSegments } from '../extract.ts';
import { findStatements, loadStatement, readCatalog, readStatementText } from '../project.ts';
import type { ResolvedConfig } from '../config.ts';
import type { Locale } from '../types.ts';

export interface LocaleStatus {
  slug: string;
  locale: Locale;
  segments: number;
  translated: number;
  missing: number;
  stale: number;
  obsolete: number;
  /** Translated (and current) share, 0…100, rounded down. */
  percent: number;
}

export interface StatusReport {
  rows: LocaleStatus[];
  diagnostics: Diagnostics;
}

export async function statusProject(config: ResolvedConfig, options: { slugs?: string[] } = {}): Promise<StatusReport> {
  const diagnostics = new Diagnostics(config.root);
  const rows: LocaleStatus[] = [];
  for (const entry of await findStatements(config, diagnostics, options.slugs)) {
    const [text, catalog] = await Promise.all([readStatementText(entry), readCatalog(entry.slug, config, diagnostics)]);
    const statement = loadStatement(entry, text, config, diagnostics);
    if (!statement || !catalog.ok) continue;
    const segments = extractSegments(statement, catalog);
    for (const locale of statement.locales.filter((lng) => lng !== statement.frontMatter.lang)) {
      const bundle = catalog.bundles.get(locale)?.bundle ?? {};
      const records = catalog.state?.targets[locale] ?? {};
      let translated = 0;
      let stale = 0;
      for (const segment of segments) {
        const value = bundle[segment.key];
        if (!value) continue;
        if (isStale(records[segment.key], segment.source, value)) stale++;
        else translated++;
      }
      const obsolete = Object.values(catalog.state?.obsolete ?? {}).filter((entry) => entry.targets[locale]).length;
      rows.push({
        slug: entry.slug,
        locale,
        segments: segments.length,
        translated,
        missing: segments.length - translated - stale,
        stale,
        obsolete,
        percent: segments.length === 0 ? 100 : Math.floor((translated / segments.length) * 100),
      });
    }
  }
  return { rows, diagnostics };
}
