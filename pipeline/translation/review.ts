/**
 * Review state: translated and reviewed are different states (four eyes
 * before publishing). The state of each translation lives in its record in
 * `locales/.state/<slug>.json`; this module says what state a translation is
 * in (`commands/review.ts` finds those still waiting for a reviewer).
 */
import { hashText, isStale } from '../project/index.ts';
import type { ReviewState, TranslationRecord } from '../types.ts';

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
