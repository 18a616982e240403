/**
 * Translators' tools applied to a merged catalog, after `mergeCatalog` and
 * before its writes are planned: the previous source text of stale
 * translations is kept for the translator, untranslated segments are
 * pre-filled from the translation memory, the pseudo-locale is generated,
 * and regional variants stay thin.
 */
import { type Catalog, hashText, isStaleHash } from '../project/index.ts';
import { fillPseudoLocale } from './pseudo.ts';
import { prefillFromMemory, type Reuse, type TranslationMemory } from './memory.ts';
import { isVariant, pseudoLocaleOf, thinBundle } from './variants.ts';
import type { MergedCatalog } from '../extract/index.ts';
import type { ResolvedConfig } from '../config.ts';
import type { Locale, Segment } from '../types.ts';

/** Remember what a stale translation was made from, so XLIFF can show the translator the change. */
function keepPreviousSource(merged: MergedCatalog, segments: Segment[], catalog: Catalog): void {
  const oldSource = catalog.bundles.get(merged.state.sourceLocale)?.bundle ?? {};
  for (const [locale, bundle] of merged.targets) {
    const records = merged.state.targets[locale] ?? {};
    for (const segment of segments) {
      const record = records[segment.key];
      const before = oldSource[segment.key];
      const value = bundle[segment.key];
      if (!record || !value || record.previousSource !== undefined || before === undefined) continue;
      // The merge hashed the source already.
      if (isStaleHash(record, merged.state.sources![segment.key]!, hashText(value)) && hashText(before) === record.source)
        records[segment.key] = { ...record, previousSource: before };
    }
  }
}

/** Apply the translators' tools to `merged`; returns the memory reuse per locale. */
export function applyTranslatorTools(
  merged: MergedCatalog,
  segments: Segment[],
  catalog: Catalog,
  config: ResolvedConfig,
  memory?: TranslationMemory,
): Map<Locale, Reuse> {
  keepPreviousSource(merged, segments, catalog);
  const reuse = memory ? prefillFromMemory(merged, segments, memory, config) : new Map<Locale, Reuse>();
  const pseudo = pseudoLocaleOf(config);
  if (pseudo) fillPseudoLocale(merged, segments, pseudo);
  for (const [locale, bundle] of merged.targets) if (isVariant(config, locale)) merged.targets.set(locale, thinBundle(bundle));
  return reuse;
}

/** Whether any segment of `merged` is untranslated in a locale the memory could fill. */
export function hasUntranslated(merged: MergedCatalog, config: ResolvedConfig): boolean {
  for (const [locale, bundle] of merged.targets) {
    if (locale === pseudoLocaleOf(config) || isVariant(config, locale)) continue;
    if (Object.values(bundle).some((value) => !value)) return true;
  }
  return false;
}
