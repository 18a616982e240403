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
  /** `publish` refuses statements with unreviewed segments. Default false. */
  requireReviewed?: boolean;
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
  fuzzyThreshold: number;
  approvedMeansReviewed: boolean;
}

export function resolveTranslation(user: UserTranslation = {}): ResolvedTranslation {
  return {
    pseudoLocale: user.pseudoLocale,
    publishPseudo: user.publishPseudo ?? false,
    requireReviewed: user.requireReviewed ?? false,
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
}
