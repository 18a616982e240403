/**
 * One statement × target locale as an exchange document: a unit per segment
 * with its source, its target (when translated), its state, and notes that
 * help the translator (kind of segment, previous source of a stale
 * translation, the string a regional variant falls back to, memory suggestions).
 */
import { displayPath } from './import.ts';
import { type TranslationMemory, translationState, variantParent } from '../translation/index.ts';
import { type Catalog, translationRecord } from '../project/index.ts';
import { toXliffInline, tokenize } from './codes.ts';
import type { ResolvedConfig } from '../config.ts';
import type { Locale, Segment, Statement } from '../types.ts';
import type { XliffFile, XliffNote, XliffUnit } from './write.ts';

/** The current translation of `segment` in `locale`, its record and its state. */
function current(segment: Segment, catalog: Catalog, locale: Locale) {
  const value = catalog.bundles.get(locale)?.bundle[segment.key] || undefined;
  const record = translationRecord(catalog.state, locale, segment.key, value);
  return { value, record, ...translationState(record, segment.source, value) };
}

/** Whether the export of `locale` offers memory suggestions for any segment: only then is the memory worth loading. */
export function wantsSuggestions(segments: Segment[], catalog: Catalog, locale: Locale, config: ResolvedConfig): boolean {
  return !variantParent(config, locale) && segments.some((segment) => current(segment, catalog, locale).state === 'initial');
}

/** Statement-level units for `locale`. */
export function exportUnits(statement: Statement, segments: Segment[], catalog: Catalog, locale: Locale, config: ResolvedConfig, memory?: TranslationMemory): XliffFile {
  const parent = variantParent(config, locale);
  const units = segments.map((segment): XliffUnit => {
    const { value, record, state, draft } = current(segment, catalog, locale);
    const notes: XliffNote[] = [{ category: 'kind', text: segment.kind }];
    if (draft === 'stale') notes.push({ category: 'previous-source', text: record?.previousSource ?? '(not recorded)' });
    if (draft === 'memory') notes.push({ category: 'memory', text: 'Pre-filled from an exact translation-memory match: check it, then confirm' });
    const fallback = parent ? catalog.bundles.get(parent)?.bundle[segment.key] : undefined;
    if (parent && !value && fallback) notes.push({ category: 'fallback', text: `Without an override this shows the ${parent} text: ${fallback}` });
    let target = value;
    if (value !== undefined && toXliffInline(tokenize(value), segment.tags, '2.0') === undefined) {
      notes.push({ category: 'problem', text: `The current translation has broken tags and is left out: ${value}` });
      target = undefined;
    }
    const suggestions = memory && state === 'initial' && !parent ? memory.fuzzy(segment.source, locale) : [];
    for (const suggestion of suggestions) {
      notes.push({ category: 'memory', text: `${Math.floor(suggestion.score * 100)}% match (${suggestion.slug}, ${suggestion.key}): ${suggestion.source} → ${suggestion.target}` });
    }
    const matches = suggestions.map((suggestion) => ({ similarity: Math.floor(suggestion.score * 100), origin: `${suggestion.slug}#${suggestion.key}`, source: suggestion.source, target: suggestion.target }));
    return { id: segment.key, kind: segment.kind, source: segment.source, target, tags: segment.tags, state: target === undefined ? 'initial' : state, draft: target === undefined ? undefined : draft, notes, matches };
  });
  return { slug: statement.slug, original: displayPath(statement, config), revision: statement.revision, units };
}
