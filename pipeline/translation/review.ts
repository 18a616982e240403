/**
 * Review state: translated and reviewed are different states (four eyes
 * before publishing). The state of each translation lives in its record in
 * `locales/.state/<slug>.json`; this module says what state a translation is
 * in, and which segments still need a reviewer before publishing.
 */
import { Diagnostics, report } from '../diagnostics.ts';
import { bundlePlace, hashText, isStale, translationRecord } from '../project/bundle.ts';
import { extractSegments } from '../extract/extract.ts';
import { bundleOf, findStatements, isolate, readCatalog, readStatementText } from '../project/project.ts';
import { loadStatement } from '../parse/cache.ts';
import { isVariant, pseudoLocaleOf } from './variants.ts';
import type { ResolvedConfig } from '../config.ts';
import type { Locale, ReviewState, TranslationRecord } from '../types.ts';

/** The XLIFF 2.0 segment states, in order. */
export type UnitState = 'initial' | ReviewState;

/** Why a translation is a draft: pre-filled from memory, stale, or imported unconfirmed. */
export type Draft = 'memory' | 'stale' | 'import';

export interface TranslationState {
  state: UnitState;
  draft?: Draft;
}

/** The state of the translation `value` of a segment whose current source is `source`. */
export function translationState(record: TranslationRecord | undefined, source: string, value: string | undefined): TranslationState {
  if (!value) return { state: 'initial' };
  if (isStale(record, source, value)) return { state: 'initial', draft: 'stale' };
  // A record made for another text means the translation was edited by hand since: translated.
  if (!record || record.target !== hashText(value)) return { state: 'translated' };
  if (record.needsReview) return { state: 'initial', draft: record.origin ?? 'import' };
  return { state: record.review ?? 'translated' };
}

export const REVIEWED: ReadonlySet<UnitState> = new Set(['reviewed', 'final']);

export interface UnreviewedSegment {
  slug: string;
  locale: Locale;
  key: string;
  /** `missing`, `stale`, a draft (`memory`, `import`), or `translated` (not yet reviewed). */
  reason: 'missing' | Draft | 'translated';
}

export interface UnreviewedReport {
  segments: UnreviewedSegment[];
  /** One error per segment, on the locale file at the key's line. */
  diagnostics: Diagnostics;
}

/**
 * Segments of `slugs` (default all) not reviewed in some target locale: what
 * `publish --require-reviewed` refuses. Regional variants count only their
 * overrides (the rest is checked in the locale they fall back to); the
 * pseudo-locale is machine-made and never needs review.
 */
export async function unreviewed(config: ResolvedConfig, slugs?: string[]): Promise<UnreviewedReport> {
  const diagnostics = new Diagnostics(config.root);
  const segments: UnreviewedSegment[] = [];
  for (const entry of await findStatements(config, diagnostics, slugs)) await isolate(entry.file, diagnostics, async () => {
    const [text, catalog] = await Promise.all([readStatementText(entry, config), readCatalog(entry.slug, config, diagnostics)]);
    const statement = loadStatement(entry, text, config, diagnostics);
    if (!statement || !catalog.ok) return;
    const keyed = extractSegments(statement, catalog);
    for (const locale of statement.locales.filter((lng) => lng !== statement.frontMatter.lang && lng !== pseudoLocaleOf(config))) {
      const file = bundleOf(catalog, locale, config, entry.slug);
      const variant = isVariant(config, locale);
      for (const segment of keyed) {
        const value = file.bundle[segment.key];
        if (variant && !value) continue;
        const { state, draft } = translationState(translationRecord(catalog.state, locale, segment.key, value), segment.source, value);
        if (REVIEWED.has(state)) continue;
        const reason = !value ? 'missing' : (draft ?? 'translated');
        segments.push({ slug: entry.slug, locale, key: segment.key, reason });
        report(diagnostics.file(file.path), {
          reason: `Unreviewed ${locale} translation of \`${segment.key}\` (${reason}), expected state \`reviewed\` or \`final\``,
          ruleId: 'unreviewed-translation',
          severity: 'error',
          place: bundlePlace(file, segment.key),
          note: `Source: ${segment.source}`,
        });
      }
    }
  });
  return { segments, diagnostics };
}
