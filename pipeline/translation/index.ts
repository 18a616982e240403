/** The translation stage as the later stages see it: everything they may use, and nothing else. */
export { TranslationMemory, countWords, type WordCounts } from './memory.ts';
export { writePseudoCommon } from './pseudo.ts';
export { sourceChange, type SourceChange } from './source-change.ts';
export { REVIEWED, translationState, type Draft, type UnitState } from './review.ts';
export { applyTranslatorTools, hasUntranslated } from './tools.ts';
export { isPublished, isVariant, pseudoLocaleOf, thinBundle, variantParent } from './variants.ts';
