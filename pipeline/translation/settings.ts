/**
 * The `translation` section of the config: translators' tools (translation
 * memory, pseudo-locale, review before publishing).
 */
import type { Locale } from '../types.ts';

/** What a user may write under `translation`. */
export interface UserTranslation {
  /**
   * A pseudo-locale such as `en-XA` that extract fills by itself (accented,
   * longer, bracketed text) and build renders like a real locale. Default none.
   */
  pseudoLocale?: Locale;
  /** Publish the pseudo-locale too. Default false. */
  publishPseudo?: boolean;
  /** `publish` withholds a version (statement × locale) with unreviewed segments. Default false. */
  requireReviewed?: boolean;
  /**
   * Least share of a version's segments (0…100) translated and current for it
   * to be published; below 100 allows partial versions, their untranslated
   * parts marked in the source language. Default 100: only complete versions.
   */
  minTranslated?: number;
  /** Least similarity (0…1) for a translation-memory suggestion. Default 0.85. */
  fuzzyThreshold?: number;
  /**
   * XLIFF 1.2 import: `approved="yes"` means reviewed (for a tool whose
   * approved is a review). Default false: only `state="signed-off"`/`"final"`
   * is a review, as translate-toolkit writes `approved="yes"` on every target.
   */
  approvedMeansReviewed?: boolean;
}

export interface ResolvedTranslation {
  pseudoLocale?: Locale;
  publishPseudo: boolean;
  requireReviewed: boolean;
  minTranslated: number;
  fuzzyThreshold: number;
  approvedMeansReviewed: boolean;
}

export function resolveTranslation(user: UserTranslation = {}): ResolvedTranslation {
  return {
    pseudoLocale: user.pseudoLocale,
    publishPseudo: user.publishPseudo ?? false,
    requireReviewed: user.requireReviewed ?? false,
    minTranslated: user.minTranslated ?? 100,
    fuzzyThreshold: user.fuzzyThreshold ?? 0.85,
    approvedMeansReviewed: user.approvedMeansReviewed ?? false,
  };
}

/** The configured locales, with the pseudo-locale (if any) at the end. */
export function withPseudoLocale(locales: Locale[], user: UserTranslation = {}): Locale[] {
  return user.pseudoLocale && !locales.includes(user.pseudoLocale) ? [...locales, user.pseudoLocale] : locales;
}

export function validateTranslation(value: unknown, fail: (reason: string) => void, isLocale: (value: unknown) => boolean): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail('Unexpected `translation`, expected an object such as `{"pseudoLocale": "en-XA"}`');
  const user = value as Record<string, unknown>;
  if (user.pseudoLocale !== undefined && !isLocale(user.pseudoLocale)) fail('Unexpected `translation.pseudoLocale`, expected a locale such as `en-XA`');
  for (const field of ['publishPseudo', 'requireReviewed', 'approvedMeansReviewed'] as const) {
    if (user[field] !== undefined && typeof user[field] !== 'boolean') fail(`Unexpected \`translation.${field}\`, expected \`true\` or \`false\``);
  }
  const threshold = user.fuzzyThreshold;
  if (threshold !== undefined && !(typeof threshold === 'number' && threshold > 0 && threshold <= 1))
    fail('Unexpected `translation.fuzzyThreshold`, expected a number such as `0.85`');
  const share = user.minTranslated;
  if (share !== undefined && !(typeof share === 'number' && share >= 0 && share <= 100))
    fail('Unexpected `translation.minTranslated`, expected a percentage from `0` to `100` such as `80`');
}
