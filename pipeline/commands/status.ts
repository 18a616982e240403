/**
 * `statements status`: how far each statement × target locale is translated.
 */
import { Diagnostics } from '../diagnostics.ts';
import { findStatements, isStale, translationRecord } from '../project/index.ts';
import { eachStatement } from './statements.ts';
import { toReview } from './review.ts';
import { translatedPercent } from './readiness.ts';
import type { ResolvedConfig } from '../config.ts';
import type { Locale } from '../types.ts';
import { countWords, isVariant, pseudoLocaleOf, REVIEWED, TranslationMemory, translationState, type WordCounts } from '../translation/index.ts';

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
  /** Current translations in state `reviewed` or `final`. */
  reviewed: number;
  /** Drafts to review: pre-filled from the translation memory or imported unconfirmed. */
  needsReview: number;
  /** Segments not yet reviewed (missing ones included): exactly what `publish --require-reviewed` withholds the version for. */
  toReview: number;
  /** Source words by what is left to do (new, exact, fuzzy, stale, translated, reviewed). */
  words: WordCounts;
  /** A regional variant: the counts are of its overrides only. */
  variant?: boolean;
}

export interface StatusReport {
  rows: LocaleStatus[];
  diagnostics: Diagnostics;
}

export async function statusProject(config: ResolvedConfig, options: { slugs?: string[] } = {}): Promise<StatusReport> {
  const diagnostics = new Diagnostics(config.root);
  const memory = await TranslationMemory.load(config);
  const entries = await findStatements(config, diagnostics, options.slugs);
  const rows = (
    await eachStatement(entries, config, diagnostics, (unit) => {
      const { entry, statement, catalog, segments: all } = unit;
      const review = toReview(unit, config);
      const rows: LocaleStatus[] = [];
      for (const locale of statement.locales.filter((lng) => lng !== statement.frontMatter.lang && lng !== pseudoLocaleOf(config))) {
        // A regional variant counts only the strings it overrides.
        const variant = isVariant(config, locale);
        const segments = variant ? all.filter((segment) => catalog.bundles.get(locale)?.bundle[segment.key]) : all;
        const bundle = catalog.bundles.get(locale)?.bundle ?? {};
        let translated = 0;
        let stale = 0;
        for (const segment of segments) {
          const value = bundle[segment.key];
          if (!value) continue;
          if (isStale(translationRecord(catalog.state, locale, segment.key, value), segment.source, value)) stale++;
          else translated++;
        }
        const states = segments.map((segment) =>
          translationState(translationRecord(catalog.state, locale, segment.key, bundle[segment.key]), segment.source, bundle[segment.key]),
        );
        const obsolete = Object.values(catalog.state?.obsolete ?? {}).filter((entry) => entry.targets[locale]).length;
        rows.push({
          slug: entry.slug,
          locale,
          segments: segments.length,
          translated,
          missing: segments.length - translated - stale,
          stale,
          obsolete,
          percent: translatedPercent(segments.length, segments.length - translated),
          reviewed: states.filter(({ state }) => REVIEWED.has(state)).length,
          needsReview: states.filter(({ draft }) => draft === 'memory' || draft === 'import').length,
          toReview: review.filter((segment) => segment.locale === locale).length,
          words: countWords(segments, locale, bundle, catalog.state, variant ? undefined : memory),
          ...(variant ? { variant } : {}),
        });
      }
      return rows;
    })
  ).flat();
  return { rows, diagnostics };
}
