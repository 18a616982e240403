/**
 * Translation memory: every current translation in the project, by source
 * text and target locale. Extract pre-fills an untranslated segment from an
 * exact match and marks it as a draft to review (never as done); near
 * matches (≥ `fuzzyThreshold`, 85% by default) are offered as suggestions
 * in XLIFF notes and counted by `status`. Agencies quote on these counts.
 */
import pLimit from 'p-limit';
import { Diagnostics } from '../diagnostics.ts';
import { type Catalog, findStatements, hashText, readCatalog, translationRecord } from '../project/index.ts';
import { type MergedCatalog, plainText } from '../extract/index.ts';
import { translationState, type UnitState } from './review.ts';
import { isVariant, pseudoLocaleOf } from './variants.ts';
import type { ResolvedConfig } from '../config.ts';
import type { Locale, Segment, StatementState } from '../types.ts';

export interface MemoryEntry {
  source: string;
  target: string;
  /** Where the translation is used: statement and key. */
  slug: string;
  key: string;
  /** Review state of the translation; obsolete translations count as `initial`. */
  state: UnitState;
}

export interface Suggestion extends MemoryEntry {
  /** Similarity to the looked-up text, 0…1. */
  score: number;
}

const RANK: UnitState[] = ['initial', 'translated', 'reviewed', 'final'];
const TOKEN = /<\/?\d+\/?>|[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu;

/** Words of a tagged text, as CAT tools count them (tags and punctuation are not words). */
export function wordCount(tagged: string): number {
  return plainText(tagged)
    .split(' ')
    .filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}

const tokens = (tagged: string) => tagged.toLowerCase().match(TOKEN) ?? [];

/** Word-level edit-distance similarity, 0…1: how CAT tools rate a fuzzy match. */
export function matchScore(a: string[], b: string[]): number {
  if (a.length === 0 && b.length === 0) return 1;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return 1 - previous[b.length]! / Math.max(a.length, b.length);
}

interface Indexed {
  source: string;
  tokens: string[];
}

/** The items that hold a token, and how often each holds it. */
interface Posting {
  items: number[];
  counts: number[];
}

interface FuzzyIndex {
  items: Indexed[];
  postings: Map<string, Posting>;
}

const countTokens = (list: string[]) => {
  const counts = new Map<string, number>();
  for (const token of list) counts.set(token, (counts.get(token) ?? 0) + 1);
  return counts;
};

export class TranslationMemory {
  /** locale → source text → best entry. */
  readonly #exact = new Map<Locale, Map<string, MemoryEntry>>();
  /** locale → every distinct source text, indexed by token for fuzzy look-ups. */
  readonly #fuzzy = new Map<Locale, FuzzyIndex>();
  readonly #suggestions = new Map<string, Suggestion[]>();

  constructor(readonly threshold = 0.85) {}

  /** Remember `entry`; for the same source text the better-reviewed translation wins. */
  add(locale: Locale, entry: MemoryEntry): void {
    let exact = this.#exact.get(locale);
    if (!exact) this.#exact.set(locale, (exact = new Map()));
    const known = exact.get(entry.source);
    if (known && RANK.indexOf(known.state) >= RANK.indexOf(entry.state)) return;
    exact.set(entry.source, entry);
    this.#suggestions.clear();
    if (known) return;
    let index = this.#fuzzy.get(locale);
    if (!index) this.#fuzzy.set(locale, (index = { items: [], postings: new Map() }));
    const list = tokens(entry.source);
    for (const [token, count] of countTokens(list)) {
      let posting = index.postings.get(token);
      if (!posting) index.postings.set(token, (posting = { items: [], counts: [] }));
      posting.items.push(index.items.length);
      posting.counts.push(count);
    }
    index.items.push({ source: entry.source, tokens: list });
  }

  /** Add the current translations (and the obsolete ones) of one statement's catalog. */
  addCatalog(slug: string, catalog: Catalog, config: ResolvedConfig): void {
    const state = catalog.state;
    if (!state) return;
    const source = catalog.bundles.get(state.sourceLocale)?.bundle ?? {};
    for (const [locale, file] of catalog.bundles) {
      if (locale === state.sourceLocale || locale === pseudoLocaleOf(config)) continue;
      const records = state.targets[locale] ?? {};
      for (const [key, target] of Object.entries(file.bundle)) {
        const text = source[key];
        if (!text || !target) continue;
        const { state: unitState } = translationState(records[key], text, target);
        if (unitState !== 'initial') this.add(locale, { source: text, target, slug, key, state: unitState });
      }
    }
    for (const [key, entry] of Object.entries(state.obsolete)) {
      for (const [locale, target] of Object.entries(entry.targets)) {
        if (target && entry.source && locale !== pseudoLocaleOf(config)) this.add(locale, { source: entry.source, target, slug, key, state: 'initial' });
      }
    }
  }

  /** Every statement's catalog as on disk. */
  static async load(config: ResolvedConfig): Promise<TranslationMemory> {
    const memory = new TranslationMemory(config.translation.fuzzyThreshold);
    // Problems in other statements' files are reported when those statements are processed.
    const quiet = new Diagnostics(config.root);
    const limit = pLimit(16);
    const entries = await findStatements(config, quiet);
    const catalogs = await Promise.all(entries.map((entry) => limit(() => readCatalog(entry.slug, config, quiet))));
    // Added in slug order, so that which of two equal translations wins does not depend on timing.
    entries.forEach((entry, index) => memory.addCatalog(entry.slug, catalogs[index]!, config));
    return memory;
  }

  /** The translation of exactly this source text, if any. */
  exact(source: string, locale: Locale): MemoryEntry | undefined {
    return this.#exact.get(locale)?.get(source);
  }

  /** Near matches, best first, not counting the exact match. */
  fuzzy(source: string, locale: Locale, limit = 3): Suggestion[] {
    const cacheKey = `${locale}\u0000${limit}\u0000${source}`;
    let suggestions = this.#suggestions.get(cacheKey);
    if (!suggestions) this.#suggestions.set(cacheKey, (suggestions = this.#search(source, locale).slice(0, limit)));
    return suggestions;
  }

  #search(source: string, locale: Locale): Suggestion[] {
    const index = this.#fuzzy.get(locale);
    const wanted = tokens(source);
    if (!index || wanted.length === 0) return [];
    // Shared tokens per memory item, from the postings of the wanted tokens. The
    // edit distance is at least the longer length minus the shared tokens, so
    // only items that can reach the threshold are compared word by word.
    const shared = new Int32Array(index.items.length);
    const touched: number[] = [];
    for (const [token, count] of countTokens(wanted)) {
      const posting: Posting | undefined = index.postings.get(token);
      if (!posting) continue;
      for (let i = 0; i < posting.items.length; i++) {
        const item: number = posting.items[i]!;
        if (shared[item] === 0) touched.push(item);
        shared[item] = shared[item]! + Math.min(count, posting.counts[i]!);
      }
    }
    const suggestions: Suggestion[] = [];
    for (const item of touched) {
      const candidate = index.items[item]!;
      if (shared[item]! < this.threshold * Math.max(wanted.length, candidate.tokens.length) || candidate.source === source) continue;
      const score = matchScore(wanted, candidate.tokens);
      if (score >= this.threshold) suggestions.push({ ...this.#exact.get(locale)!.get(candidate.source)!, score });
    }
    return suggestions.sort((a, b) => b.score - a.score || RANK.indexOf(b.state) - RANK.indexOf(a.state) || a.slug.localeCompare(b.slug));
  }
}

export interface Reuse {
  segments: number;
  words: number;
}

/**
 * Pre-fill the untranslated segments of a merged catalog from exact memory
 * matches, as drafts (`needsReview`, origin `memory`). Regional variants are
 * left thin and the pseudo-locale is generated, so neither is pre-filled.
 * Returns the reuse per locale.
 */
export function prefillFromMemory(merged: MergedCatalog, segments: Segment[], memory: TranslationMemory, config: ResolvedConfig): Map<Locale, Reuse> {
  const reuse = new Map<Locale, Reuse>();
  for (const [locale, bundle] of merged.targets) {
    if (locale === pseudoLocaleOf(config) || isVariant(config, locale)) continue;
    const records = (merged.state.targets[locale] ??= {});
    const counts = { segments: 0, words: 0 };
    for (const segment of segments) {
      if (bundle[segment.key]) continue;
      const match = memory.exact(segment.source, locale);
      if (!match) continue;
      bundle[segment.key] = match.target;
      records[segment.key] = { source: hashText(segment.source), target: hashText(match.target), needsReview: true, origin: 'memory' };
      counts.segments++;
      counts.words += wordCount(segment.source);
    }
    reuse.set(locale, counts);
  }
  return reuse;
}

/** Words of a statement × locale by what a translator still has to do: what an agency quote is based on. */
export interface WordCounts {
  total: number;
  /** Untranslated, no memory match. */
  new: number;
  /** Pre-filled from, or exactly matched in, the memory: to review, not to translate. */
  exact: number;
  /** Untranslated with a near match (≥ the fuzzy threshold) to start from. */
  fuzzy: number;
  stale: number;
  /** Translated (drafts imported from a CAT tool included), not yet reviewed. */
  translated: number;
  /** Reviewed or final. */
  reviewed: number;
}

/** Count the words of `segments` in `locale` by state. */
export function countWords(
  segments: Segment[],
  locale: Locale,
  bundle: Record<string, string>,
  catalogState: StatementState | undefined,
  memory: TranslationMemory | undefined,
): WordCounts {
  const counts: WordCounts = { total: 0, new: 0, exact: 0, fuzzy: 0, stale: 0, translated: 0, reviewed: 0 };
  for (const segment of segments) {
    const words = wordCount(segment.source);
    const value = bundle[segment.key];
    const { state, draft } = translationState(translationRecord(catalogState, locale, segment.key, value), segment.source, value);
    counts.total += words;
    if (draft === 'stale') counts.stale += words;
    else if (draft === 'memory') counts.exact += words;
    else if (state === 'reviewed' || state === 'final') counts.reviewed += words;
    else if (value) counts.translated += words;
    else if (memory?.exact(segment.source, locale)) counts.exact += words;
    else if (memory && memory.fuzzy(segment.source, locale, 1).length > 0) counts.fuzzy += words;
    else counts.new += words;
  }
  return counts;
}
