/**
 * Which segments still need a reviewer before publishing: what
 * `publish --require-reviewed` (`translation.requireReviewed`) refuses.
 */
import { Diagnostics, report } from '../diagnostics.ts';
import { bundleOf, bundlePlace, findStatements, translationRecord } from '../project/index.ts';
import { type Draft, isVariant, pseudoLocaleOf, REVIEWED, translationState } from '../translation/index.ts';
import { eachStatement, type StatementUnit } from './statements.ts';
import type { ResolvedConfig } from '../config.ts';
import type { Locale } from '../types.ts';

export interface UnreviewedSegment {
  slug: string;
  locale: Locale;
  key: string;
  /** `missing`, `stale`, a draft (`memory`, `import`), or `translated` (not yet reviewed). */
  reason: 'missing' | Draft | 'translated';
  /** The source text of the segment. */
  source: string;
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
  const entries = await findStatements(config, diagnostics, slugs);
  const found = await eachStatement(entries, config, diagnostics, (unit) => {
    const segments = toReview(unit, config);
    for (const segment of segments) {
      const file = bundleOf(unit.catalog, segment.locale, config, unit.entry.slug);
      report(diagnostics.file(file.path), {
        reason: `Unreviewed ${segment.locale} translation of \`${segment.key}\` (${segment.reason}), expected state \`reviewed\` or \`final\``,
        ruleId: 'unreviewed-translation',
        severity: 'error',
        place: bundlePlace(file, segment.key),
        note: `Source: ${segment.source}`,
      });
    }
    return segments;
  });
  return { segments: found.flat(), diagnostics };
}

/**
 * The segments of one statement still to review, in every target locale:
 * the one answer to "what does `--require-reviewed` withhold", which
 * `status` counts as "to review". Regional variants count only their
 * overrides; the pseudo-locale never needs review.
 */
export function toReview({ entry, statement, catalog, segments: keyed }: StatementUnit, config: ResolvedConfig): UnreviewedSegment[] {
  const segments: UnreviewedSegment[] = [];
  for (const locale of statement.locales.filter((lng) => lng !== statement.frontMatter.lang && lng !== pseudoLocaleOf(config))) {
    const bundle = bundleOf(catalog, locale, config, entry.slug).bundle;
    const variant = isVariant(config, locale);
    for (const segment of keyed) {
      const value = bundle[segment.key];
      if (variant && !value) continue;
      const { state, draft } = translationState(translationRecord(catalog.state, locale, segment.key, value), segment.source, value);
      if (REVIEWED.has(state)) continue;
      segments.push({ slug: entry.slug, locale, key: segment.key, reason: !value ? 'missing' : (draft ?? 'translated'), source: segment.source });
    }
  }
  return segments;
}
